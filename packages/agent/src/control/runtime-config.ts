// The capture controls that change while the agent runs (protocols,
// capture cap per syscall, pid and cgroup filters, connection sampling), as
// one validated object. The local API (agent-api.ts) and, later, the
// collector's control stream both go through parseRuntimeConfig().

import type { CaptureProtocolName } from "@periscope/proto";
import { KernelProtocol, SourceSyscall } from "../capture/events.js";
import { DEFAULT_CAPTURE_BYTES, MAX_CAPTURE_BYTES } from "../capture/layout.js";
import { MAX_PROFILE_HZ } from "../profiler/profile-config.js";
import { DEFAULT_RECORD_BUDGET_PER_SECOND } from "../sampling/record-sampler.js";

/**
 * The kernel's protocol codes by the contract's names (CAPTURE_PROTOCOLS): the
 * names records carry and the collector's config sends. `satisfies` keeps the
 * keys exactly those names, so a protocol added to the contract fails to
 * compile here until the kernel has a code for it.
 */
export const PROTOCOL_CODES = {
  http: KernelProtocol.Http1,
  http2: KernelProtocol.Http2,
  postgres: KernelProtocol.Postgres,
  mysql: KernelProtocol.Mysql,
  redis: KernelProtocol.Redis,
  dns: KernelProtocol.Dns,
  kafka: KernelProtocol.Kafka,
  amqp: KernelProtocol.Amqp,
  nats: KernelProtocol.Nats,
  mongo: KernelProtocol.Mongo,
  mqtt: KernelProtocol.Mqtt,
} as const satisfies Record<CaptureProtocolName, KernelProtocol>;
export type ProtocolKey = CaptureProtocolName;

/** Syscalls whose payload is copied; sendfile's never is (its bytes are a file's). */
export const CAPTURE_SYSCALL_CODES = {
  read: SourceSyscall.Read,
  write: SourceSyscall.Write,
  sendto: SourceSyscall.SendTo,
  recvfrom: SourceSyscall.RecvFrom,
  readv: SourceSyscall.ReadV,
  writev: SourceSyscall.WriteV,
  sendmsg: SourceSyscall.SendMsg,
  recvmsg: SourceSyscall.RecvMsg,
  sendmmsg: SourceSyscall.SendMMsg,
  recvmmsg: SourceSyscall.RecvMMsg,
} as const;
export type CaptureSyscall = keyof typeof CAPTURE_SYSCALL_CODES;

/** Entries per filter list; the kernel's pid_filter/cgroup_filter maps hold 4096 each. */
export const MAX_FILTER_ENTRIES = 1024;
/** Largest sampling ratio accepted (keep 1 in this many connections). */
export const MAX_KEEP_ONE_IN = 1_000_000;
/** Largest record budget accepted (records/s); a collector stores ~60k records/s in all. */
export const MAX_RECORD_BUDGET_PER_SECOND = 1_000_000;

export interface RuntimeConfig {
  /** false: the kernel sends nothing for that protocol's connections. All true by default. */
  protocols: Record<ProtocolKey, boolean>;
  captureBytes: {
    /** Payload bytes copied per syscall, 0..16384. */
    default: number;
    /** Overrides for some syscalls. */
    perSyscall: Partial<Record<CaptureSyscall, number>>;
  };
  /** Process ids (tgids). include non-empty: only those; exclude: never those. */
  pids: { include: number[]; exclude: number[] };
  /** cgroup v2 paths, absolute ("/sys/fs/cgroup/...") or relative to the cgroup2 mount ("/kubepods/..."). */
  cgroups: { include: string[]; exclude: string[] };
  /** Keep 1 in keepOneIn new connections, decided once per connection (1: all). */
  sampling: { keepOneIn: number };
  /**
   * Request records sent per second (errors, traced and slow requests first,
   * the rest sampled; sampling/record-sampler.ts). Metrics count every request.
   */
  recordBudgetPerSecond: number;
  /**
   * false (default): other Periscope processes (names starting "periscope-":
   * collector, UI, other agents) are left out of capture. This agent itself never is captured.
   */
  captureSelf: boolean;
  /**
   * CPU profiler samples per second per CPU, 0 (off) to 499; undefined: as
   * the agent started (PERISCOPE_PROFILE_HZ).
   */
  profileHz?: number;
}

/** A config the agent refused; `field` names the offending path ("pids.include[2]"). */
export class RuntimeConfigError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = "RuntimeConfigError";
  }
}

export function defaultRuntimeConfig(): RuntimeConfig {
  return {
    protocols: Object.fromEntries(Object.keys(PROTOCOL_CODES).map((k) => [k, true])) as Record<
      ProtocolKey,
      boolean
    >,
    captureBytes: { default: DEFAULT_CAPTURE_BYTES, perSyscall: {} },
    pids: { include: [], exclude: [] },
    cgroups: { include: [], exclude: [] },
    sampling: { keepOneIn: 1 },
    recordBudgetPerSecond: DEFAULT_RECORD_BUDGET_PER_SECOND,
    captureSelf: false,
  };
}

type Fields = Record<string, unknown>;

function objectAt(value: unknown, field: string): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RuntimeConfigError(field, `must be an object, got ${describe(value)}`);
  }
  return value as Fields;
}

/** Rejects keys other than `allowed`: a typo must not silently do nothing. */
function onlyKeys(object: Fields, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      throw new RuntimeConfigError(join(field, key), `unknown field (expected one of ${allowed.join(", ")})`);
    }
  }
}

function integerAt(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RuntimeConfigError(field, `must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

function listAt<T>(value: unknown, field: string, item: (v: unknown, f: string) => T): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new RuntimeConfigError(field, `must be an array, got ${describe(value)}`);
  if (value.length > MAX_FILTER_ENTRIES) {
    throw new RuntimeConfigError(field, `at most ${MAX_FILTER_ENTRIES} entries, got ${value.length}`);
  }
  return [...new Set(value.map((v, i) => item(v, `${field}[${i}]`)))];
}

function cgroupPathAt(value: unknown, field: string): string {
  if (
    typeof value !== "string" ||
    !value.startsWith("/") ||
    value.includes("\0") ||
    value.split("/").includes("..")
  ) {
    throw new RuntimeConfigError(
      field,
      `must be an absolute cgroup path without "..", got ${describe(value)}`,
    );
  }
  return value.length > 1 && value.endsWith("/") ? value.slice(0, -1) : value;
}

const join = (field: string, key: string) => (field === "" ? key : `${field}.${key}`);
const describe = (value: unknown) =>
  value === undefined ? "nothing" : (JSON.stringify(value) ?? String(value));

/**
 * Validates a config from outside (JSON body, control stream). Sections and
 * fields left out take their defaults; unknown fields are errors. Throws
 * RuntimeConfigError naming the bad field.
 */
export function parseRuntimeConfig(input: unknown): RuntimeConfig {
  const root = objectAt(input, "config");
  onlyKeys(
    root,
    [
      "protocols",
      "captureBytes",
      "pids",
      "cgroups",
      "sampling",
      "recordBudgetPerSecond",
      "captureSelf",
      "profileHz",
    ],
    "",
  );
  const config = defaultRuntimeConfig();

  if (root.protocols !== undefined) {
    const protocols = objectAt(root.protocols, "protocols");
    onlyKeys(protocols, Object.keys(PROTOCOL_CODES), "protocols");
    for (const [key, on] of Object.entries(protocols)) {
      if (typeof on !== "boolean")
        throw new RuntimeConfigError(`protocols.${key}`, `must be true or false, got ${describe(on)}`);
      config.protocols[key as ProtocolKey] = on;
    }
  }
  if (root.captureBytes !== undefined) {
    const capture = objectAt(root.captureBytes, "captureBytes");
    onlyKeys(capture, ["default", "perSyscall"], "captureBytes");
    if (capture.default !== undefined) {
      config.captureBytes.default = integerAt(capture.default, "captureBytes.default", 0, MAX_CAPTURE_BYTES);
    }
    if (capture.perSyscall !== undefined) {
      const perSyscall = objectAt(capture.perSyscall, "captureBytes.perSyscall");
      onlyKeys(perSyscall, Object.keys(CAPTURE_SYSCALL_CODES), "captureBytes.perSyscall");
      for (const [name, bytes] of Object.entries(perSyscall)) {
        config.captureBytes.perSyscall[name as CaptureSyscall] = integerAt(
          bytes,
          `captureBytes.perSyscall.${name}`,
          0,
          MAX_CAPTURE_BYTES,
        );
      }
    }
  }
  if (root.pids !== undefined) {
    const pids = objectAt(root.pids, "pids");
    onlyKeys(pids, ["include", "exclude"], "pids");
    const pid = (v: unknown, f: string) => integerAt(v, f, 1, 0x7fffffff);
    config.pids = {
      include: listAt(pids.include, "pids.include", pid),
      exclude: listAt(pids.exclude, "pids.exclude", pid),
    };
  }
  if (root.cgroups !== undefined) {
    const cgroups = objectAt(root.cgroups, "cgroups");
    onlyKeys(cgroups, ["include", "exclude"], "cgroups");
    config.cgroups = {
      include: listAt(cgroups.include, "cgroups.include", cgroupPathAt),
      exclude: listAt(cgroups.exclude, "cgroups.exclude", cgroupPathAt),
    };
  }
  if (root.sampling !== undefined) {
    const sampling = objectAt(root.sampling, "sampling");
    onlyKeys(sampling, ["keepOneIn"], "sampling");
    if (sampling.keepOneIn !== undefined) {
      config.sampling.keepOneIn = integerAt(sampling.keepOneIn, "sampling.keepOneIn", 1, MAX_KEEP_ONE_IN);
    }
  }
  if (root.recordBudgetPerSecond !== undefined) {
    config.recordBudgetPerSecond = integerAt(
      root.recordBudgetPerSecond,
      "recordBudgetPerSecond",
      0,
      MAX_RECORD_BUDGET_PER_SECOND,
    );
  }
  if (root.captureSelf !== undefined) {
    if (typeof root.captureSelf !== "boolean")
      throw new RuntimeConfigError("captureSelf", `must be true or false, got ${describe(root.captureSelf)}`);
    config.captureSelf = root.captureSelf;
  }
  if (root.profileHz !== undefined)
    config.profileHz = integerAt(root.profileHz, "profileHz", 0, MAX_PROFILE_HZ);
  return config;
}
