import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { MAX_RECORD_BUDGET_PER_SECOND } from "./control/runtime-config.js";
import { parseMemoryQuantity } from "./memory/memory-limit.js";
import { DEFAULT_INTERVAL_MS, MAX_INTERVAL_MS } from "./metrics/series-aggregator.js";
import { parseRedactionRules, type RedactionRules } from "./records/redaction-rules.js";
import { DEFAULT_RECORD_BUDGET_PER_SECOND } from "./sampling/record-sampler.js";

/** Largest capture per syscall the kernel side supports (PERISCOPE_MAX_CAPTURE in socket_trace.h). */
export const MAX_CAPTURE_BYTES = 16384;

export interface AgentConfig {
  /** host:port of the collector's gRPC ingest. */
  collectorAddress: string;
  agentId: string;
  /**
   * The node this agent runs on: the Kubernetes node name from the downward
   * API (fieldRef spec.nodeName), else the host name. Sent as AgentInfo.hostname;
   * the collector records it as the node of this host's processes.
   */
  nodeName: string;
  /** Bytes captured per syscall; more are counted but not copied. */
  captureBytes: number;
  /** Compiled eBPF object; the tracer's built-in default when undefined. */
  bpfObjectPath: string | undefined;
  /** host:port of the agent's local HTTP API (config, stats, metrics). */
  apiAddress: string;
  /** What is removed from records before they leave the agent (packages/agent/README.md, Redaction). */
  redaction: RedactionRules;
  /** Sent as `authorization: Bearer …` on every gRPC call; the collector's PERISCOPE_AGENT_TOKEN. */
  agentToken: string | undefined;
  /** gRPC to the collector over TLS (true when a CA bundle is given). */
  collectorTls: boolean;
  /** PEM CA bundle the collector's certificate must chain to; the system's roots when undefined. */
  collectorCa: Buffer | undefined;
  /** Request records sent per second at start-up; the local API and the collector change it. */
  recordBudgetPerSecond: number;
  /** Length of a metric series interval, ms (aligned to wall-clock multiples). */
  metricsIntervalMs: number;
  /** Capture other Periscope processes (collector, UI, agents) too; this agent never is. */
  captureSelf: boolean;
  /** Directory of the disk spool for unacknowledged batches; undefined: no spool. */
  spoolDir: string | undefined;
  /** The spool's bound in bytes; beyond it the oldest spooled batches are dropped (counted). */
  spoolMaxBytes: number;
  /** BTF the CO-RE relocations resolve against; the kernel's own (/sys/kernel/btf/vmlinux) when undefined. */
  btfPath: string | undefined;
  /** tracefs directory; /sys/kernel/tracing (mounted when missing), then debugfs's, when undefined. */
  tracefsPath: string | undefined;
  /**
   * Memory the agent may use, bytes: its buffers are sized under it and it sheds
   * load near it (memory/). undefined: read from its cgroup; Infinity: no limit.
   */
  memoryLimitBytes: number | undefined;
}

export class ConfigError extends Error {}

/**
 * 1 GiB. A spooled batch is its wire encoding: ~1.5 KB per record in
 * storage-outage.kernel.test.ts (whose client's command line, sent with each
 * record, is a whole script), so ~700k such records, 12 minutes at 1,000/s.
 */
const DEFAULT_SPOOL_MAX_BYTES = 1024 * 1024 * 1024;

/**
 * Below this Node.js, the native addon and the BPF maps' user-space side
 * leave nothing to buffer with (the agent's RSS is ~80 MiB idle).
 */
export const MIN_MEMORY_LIMIT_BYTES = 64 * 1024 * 1024;

interface Variable<T> {
  name: string;
  description: string;
  parse: (raw: string | undefined) => T;
}

// Every environment variable the agent reads, declared once.
const variables = {
  collectorAddress: {
    name: "PERISCOPE_COLLECTOR_ADDR",
    description: "collector gRPC address, host:port",
    parse: (raw) => parseHostPort(raw ?? "127.0.0.1:4770"),
  },
  agentId: {
    name: "PERISCOPE_AGENT_ID",
    description: "stable id of this agent",
    parse: (raw) => {
      const value = (raw ?? hostname()).trim();
      if (value === "" || value.length > 253) throw new ConfigError("must be 1 to 253 characters");
      return value;
    },
  },
  nodeName: {
    name: "PERISCOPE_NODE_NAME",
    description:
      "Kubernetes node name, from the downward API (env valueFrom fieldRef spec.nodeName); default: the host name",
    parse: (raw) => {
      const value = (raw ?? "").trim() || hostname();
      // A node name is a DNS subdomain (RFC 1123): at most 253 characters.
      if (value.length > 253) throw new ConfigError("must be at most 253 characters");
      return value;
    },
  },
  captureBytes: {
    name: "PERISCOPE_CAPTURE_BYTES",
    description: "bytes captured per syscall",
    parse: (raw) => {
      const text = raw ?? "4096";
      const value = Number(text);
      if (!/^\d+$/.test(text) || value < 1 || value > MAX_CAPTURE_BYTES) {
        throw new ConfigError(`must be an integer from 1 to ${MAX_CAPTURE_BYTES}, got "${text}"`);
      }
      return value;
    },
  },
  apiAddress: {
    name: "PERISCOPE_AGENT_API_ADDR",
    description: "the agent's local HTTP API, host:port (loopback by default: it changes what is captured)",
    parse: (raw) => parseHostPort(raw ?? "127.0.0.1:4781"),
  },
  bpfObjectPath: {
    name: "PERISCOPE_BPF_OBJECT",
    description: "path of the compiled eBPF object",
    parse: (raw) => (raw === undefined || raw === "" ? undefined : raw),
  },
  redaction: {
    name: "PERISCOPE_REDACTION",
    description: "redaction rules as JSON, added to the defaults",
    parse: (raw) => parseRedactionRules(raw),
  },
  agentToken: {
    name: "PERISCOPE_AGENT_TOKEN",
    description: "token sent to the collector's gRPC services (its PERISCOPE_AGENT_TOKEN)",
    parse: (raw) => {
      const value = raw?.trim() ?? "";
      if (value === "") return undefined;
      // The message never quotes the value: start-up errors are printed.
      if (!/^[\x21-\x7e]+$/.test(value)) {
        throw new ConfigError("must be printable ASCII without spaces (it travels as gRPC metadata)");
      }
      // The collector refuses shorter tokens (its PERISCOPE_AGENT_TOKEN), so this one could never match.
      if (value.length < 16) throw new ConfigError("must be at least 16 characters, like the collector's");
      return value;
    },
  },
  collectorTls: {
    name: "PERISCOPE_COLLECTOR_TLS",
    description: "true: gRPC to the collector over TLS",
    parse: parseBoolean,
  },
  recordBudgetPerSecond: {
    name: "PERISCOPE_RECORD_BUDGET",
    description: "request records sent per second (metrics count every request)",
    parse: (raw) => parseInteger(raw, DEFAULT_RECORD_BUDGET_PER_SECOND, 0, MAX_RECORD_BUDGET_PER_SECOND),
  },
  metricsIntervalMs: {
    name: "PERISCOPE_METRICS_INTERVAL_MS",
    description: "metric series interval in ms",
    parse: (raw) => parseInteger(raw, DEFAULT_INTERVAL_MS, 1_000, MAX_INTERVAL_MS),
  },
  captureSelf: {
    name: "PERISCOPE_CAPTURE_SELF",
    description: "true: capture Periscope's own processes (periscope-collector, periscope-ui, other agents)",
    parse: parseBoolean,
  },
  spoolDir: {
    name: "PERISCOPE_SPOOL_DIR",
    description: "directory of the disk spool for batches the collector has not acknowledged (empty: none)",
    parse: (raw) => (raw === undefined || raw.trim() === "" ? undefined : raw.trim()),
  },
  spoolMaxBytes: {
    name: "PERISCOPE_SPOOL_MAX_BYTES",
    description: "bytes the disk spool holds at most",
    parse: (raw) => parseInteger(raw, DEFAULT_SPOOL_MAX_BYTES, 1024 * 1024, Number.MAX_SAFE_INTEGER),
  },
  btfPath: {
    name: "PERISCOPE_BTF_PATH",
    description:
      "kernel BTF file for CO-RE (a node whose kernel has no /sys/kernel/btf/vmlinux: e.g. one from BTFHub)",
    parse: (raw) => (raw === undefined || raw.trim() === "" ? undefined : raw.trim()),
  },
  tracefsPath: {
    name: "PERISCOPE_TRACEFS_PATH",
    description: "tracefs directory (where it is mounted somewhere other than /sys/kernel/tracing)",
    parse: (raw) => (raw === undefined || raw.trim() === "" ? undefined : raw.trim().replace(/\/+$/, "")),
  },
  memoryLimitBytes: {
    name: "PERISCOPE_MEMORY_LIMIT",
    description:
      "memory the agent may use, bytes or e.g. 512Mi (the chart sets the container's limits.memory); unset: its cgroup's limit; max: none",
    parse: (raw) => {
      const text = raw?.trim() ?? "";
      if (text === "") return undefined;
      if (text === "max") return Number.POSITIVE_INFINITY;
      let bytes: number;
      try {
        bytes = parseMemoryQuantity(text);
      } catch (error) {
        throw new ConfigError((error as Error).message);
      }
      if (bytes < MIN_MEMORY_LIMIT_BYTES) throw new ConfigError(`must be at least 64Mi, got "${text}"`);
      return bytes;
    },
  },
  collectorCa: {
    name: "PERISCOPE_COLLECTOR_CA",
    description: "PEM CA bundle to trust for the collector's certificate (implies TLS)",
    parse: (raw) => {
      if (raw === undefined || raw === "") return undefined;
      let pem: Buffer;
      try {
        pem = readFileSync(raw);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        throw new ConfigError(`cannot read "${raw}": ${code}`);
      }
      if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
        throw new ConfigError(`"${raw}" holds no PEM certificate`);
      }
      return pem;
    },
  },
} satisfies { [K in keyof AgentConfig]: Variable<AgentConfig[K]> };

/** Reads the configuration; throws ConfigError naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv): AgentConfig {
  const read = <K extends keyof AgentConfig>(key: K): AgentConfig[K] => {
    const variable = variables[key] as Variable<AgentConfig[K]>;
    try {
      return variable.parse(env[variable.name]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError(`${variable.name} (${variable.description}): ${reason}`);
    }
  };
  const collectorCa = read("collectorCa");
  const collectorTls = read("collectorTls");
  // Set to false on purpose while a CA is given: one of the two is a mistake.
  const tlsRefused = !collectorTls && (env[variables.collectorTls.name]?.trim() ?? "") !== "";
  if (collectorCa !== undefined && tlsRefused) {
    throw new ConfigError(
      `${variables.collectorCa.name} implies TLS, but ${variables.collectorTls.name} is false: unset one of them`,
    );
  }
  return {
    collectorAddress: read("collectorAddress"),
    agentId: read("agentId"),
    nodeName: read("nodeName"),
    captureBytes: read("captureBytes"),
    bpfObjectPath: read("bpfObjectPath"),
    apiAddress: read("apiAddress"),
    redaction: read("redaction"),
    agentToken: read("agentToken"),
    collectorTls: collectorTls || collectorCa !== undefined,
    collectorCa,
    recordBudgetPerSecond: read("recordBudgetPerSecond"),
    metricsIntervalMs: read("metricsIntervalMs"),
    captureSelf: read("captureSelf"),
    spoolDir: read("spoolDir"),
    spoolMaxBytes: read("spoolMaxBytes"),
    btfPath: read("btfPath"),
    tracefsPath: read("tracefsPath"),
    memoryLimitBytes: read("memoryLimitBytes"),
  };
}

function parseBoolean(raw: string | undefined): boolean {
  const value = raw?.trim().toLowerCase() ?? "";
  if (value === "" || value === "false" || value === "0") return false;
  if (value === "true" || value === "1") return true;
  throw new ConfigError(`must be true or false, got "${raw}"`);
}

function parseInteger(raw: string | undefined, fallback: number, min: number, max: number): number {
  const text = raw?.trim() ?? "";
  if (text === "") return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new ConfigError(`must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function parseHostPort(text: string): string {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s[\]]+):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > 65535) throw new ConfigError(`must be host:port, got "${text}"`);
  return text.trim();
}
