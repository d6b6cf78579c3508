// The agent's end of ControlService.Connect: holds the stream to the
// collector open (reconnecting with capped exponential backoff), applies each
// CollectionConfig it receives through RuntimeControls — no restart — and
// acknowledges it, so the collector shows the version this agent really runs.
import {
  type ChannelCredentials,
  type ClientDuplexStream,
  credentials as grpcCredentials,
  Metadata,
  makeGenericClientConstructor,
} from "@grpc/grpc-js";
import {
  type CollectionConfig,
  type ConnectRequest,
  ConnectRequestSchema,
  type ConnectResponse,
  controlServiceDefinition,
  create,
} from "@periscope/proto";
import { MAX_PROFILE_HZ } from "../profiler/profile-config.js";
import type { RedactionRules } from "../records/redaction-rules.js";
import { DEFAULT_RECORD_BUDGET_PER_SECOND } from "../sampling/record-sampler.js";
import { PROTOCOL_CODES, type ProtocolKey, type RuntimeConfig } from "./runtime-config.js";

/** The part of RuntimeControls this stream uses. */
export interface ControlsPort {
  current(): { version: number; config: RuntimeConfig };
  apply(config: RuntimeConfig): Promise<{ version: number }>;
}

export interface CollectorControlStreamOptions {
  address: string;
  agentId: string;
  controls: ControlsPort;
  /** The start-up capture cap (PERISCOPE_CAPTURE_BYTES): what capture_bytes = 0 means. */
  defaultCaptureBytes: number;
  /** The start-up record budget (PERISCOPE_RECORD_BUDGET): what record_budget_per_second = 0 means. */
  defaultRecordBudgetPerSecond?: number;
  credentials?: ChannelCredentials;
  /** Sent as `authorization: Bearer …` when the collector requires an agent token. */
  token?: string;
  reconnectDelayMs?: { initial: number; max: number };
  /**
   * Redaction: the start-up rules (PERISCOPE_REDACTION) and where new rules go
   * (Pipeline.setRedaction). Without them redaction settings are reported unsupported.
   */
  redaction?: { base: RedactionRules; apply(rules: RedactionRules): void };
  log?: (line: string) => void;
}

/**
 * The collector's redaction on top of the start-up rules: its field names are
 * redacted as headers and as URL query parameters, and SQL literal masking can
 * be switched on. It adds to the operator's rules and never removes one.
 */
export function toRedactionRules(wire: CollectionConfig, base: RedactionRules): RedactionRules {
  const fields = wire.redactFields.map((name) => name.toLowerCase());
  return {
    ...base,
    headers: new Set([...base.headers, ...fields]),
    queryParameters: new Set([...base.queryParameters, ...fields]),
    maskSqlLiterals: base.maskSqlLiterals || wire.redactSqlLiterals,
  };
}

/**
 * The collector's config as a RuntimeConfig. The collector owns protocols,
 * the default capture cap, sampling and the record budget; pid/cgroup
 * filters, per-syscall caps and captureSelf stay as the local API set them. Settings this agent cannot apply yet
 * are named, not silently dropped.
 */
export function toRuntimeConfig(
  wire: CollectionConfig,
  current: RuntimeConfig,
  defaultCaptureBytes: number,
  defaultRecordBudgetPerSecond: number = DEFAULT_RECORD_BUDGET_PER_SECOND,
): { config: RuntimeConfig; unsupported: string[] } {
  const unsupported: string[] = [];
  const protocols = Object.fromEntries(Object.keys(PROTOCOL_CODES).map((key) => [key, true])) as Record<
    ProtocolKey,
    boolean
  >;
  for (const name of wire.disabledProtocols) {
    if (name in PROTOCOL_CODES) protocols[name as ProtocolKey] = false;
    else unsupported.push(`disabled_protocols: ${name}`);
  }
  // Namespaces need Kubernetes metadata, which this agent does not have yet.
  if (wire.includeNamespaces.length > 0) unsupported.push("include_namespaces");
  if (wire.excludeNamespaces.length > 0) unsupported.push("exclude_namespaces");
  if (wire.profileHz !== undefined && wire.profileHz > MAX_PROFILE_HZ)
    unsupported.push(`profile_hz: ${wire.profileHz}`);
  return {
    config: {
      ...current,
      protocols,
      captureBytes: { ...current.captureBytes, default: wire.captureBytes || defaultCaptureBytes },
      sampling: { keepOneIn: Math.max(1, wire.sampleOneIn) },
      recordBudgetPerSecond: wire.recordBudgetPerSecond || defaultRecordBudgetPerSecond,
      // Unset: the agent's own rate; above the profiler's bound it is named, not applied.
      profileHz:
        wire.profileHz !== undefined && wire.profileHz <= MAX_PROFILE_HZ ? wire.profileHz : undefined,
    },
    unsupported,
  };
}

const ControlClient = makeGenericClientConstructor(controlServiceDefinition, "ControlService");
type ConnectCall = ClientDuplexStream<ConnectRequest, ConnectResponse>;

export class CollectorControlStream {
  private readonly client: InstanceType<typeof ControlClient>;
  private call: ConnectCall | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private delayMs: number;
  private closed = false;
  private applying: Promise<void> = Promise.resolve();
  private collectorVersion = 0;
  private readonly log: (line: string) => void;

  constructor(private readonly options: CollectorControlStreamOptions) {
    this.client = new ControlClient(options.address, options.credentials ?? grpcCredentials.createInsecure());
    this.delayMs = options.reconnectDelayMs?.initial ?? 1_000;
    this.log = options.log ?? ((line) => console.error(line));
  }

  /** Collector config version applied last (0: none since the agent started). */
  get appliedVersion(): number {
    return this.collectorVersion;
  }

  start(): this {
    this.open();
    return this;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.call?.cancel();
    this.client.close();
  }

  private open(): void {
    if (this.closed) return;
    const metadata = new Metadata();
    if (this.options.token) metadata.set("authorization", `Bearer ${this.options.token}`);
    const connect = this.client.connect as (metadata: Metadata) => ConnectCall;
    const call = connect.call(this.client, metadata);
    this.call = call;
    call.write(
      create(ConnectRequestSchema, {
        message: {
          case: "hello",
          value: { agentId: this.options.agentId, configVersion: BigInt(this.collectorVersion) },
        },
      }),
    );
    call.on("data", (response: ConnectResponse) => {
      // A message means the stream works: the next drop starts the backoff afresh.
      this.delayMs = this.options.reconnectDelayMs?.initial ?? 1_000;
      if (response.message.case === "config") this.enqueueApply(call, response.message.value);
    });
    call.on("error", (error) => {
      if (!this.closed) this.log(`periscope-agent: control stream: ${error.message}; reconnecting`);
    });
    call.on("close", () => this.scheduleReconnect(call));
    call.on("end", () => this.scheduleReconnect(call));
  }

  private enqueueApply(call: ConnectCall, wire: CollectionConfig): void {
    // One at a time, in arrival order, so acknowledgements follow the collector's versions.
    this.applying = this.applying.then(() => this.apply(call, wire));
  }

  private async apply(call: ConnectCall, wire: CollectionConfig): Promise<void> {
    const version = wire.version;
    const { config, unsupported } = toRuntimeConfig(
      wire,
      this.options.controls.current().config,
      this.options.defaultCaptureBytes,
      this.options.defaultRecordBudgetPerSecond,
    );
    const redaction = this.options.redaction;
    if (redaction === undefined) {
      if (wire.redactFields.length > 0) unsupported.push("redact_fields");
      if (wire.redactSqlLiterals) unsupported.push("redact_sql_literals");
    }
    let applied: { ok: boolean; error: string };
    try {
      await this.options.controls.apply(config);
      redaction?.apply(toRedactionRules(wire, redaction.base));
      this.collectorVersion = Number(version);
      applied = { ok: true, error: "" };
    } catch (error) {
      // RuntimeControls keeps the previous config; the collector is told why.
      applied = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    if (this.call === call) {
      call.write(
        create(ConnectRequestSchema, {
          message: { case: "applied", value: { version, unsupported, ...applied } },
        }),
      );
    }
  }

  private scheduleReconnect(call: ConnectCall): void {
    if (this.closed || this.call !== call || this.retryTimer !== undefined) return;
    this.call = undefined;
    const delay = this.delayMs;
    this.delayMs = Math.min(delay * 2, this.options.reconnectDelayMs?.max ?? 30_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.open();
    }, delay);
    this.retryTimer.unref();
  }
}
