// Every environment variable the collector reads is declared here, once, with
// its parser and default. Nothing else in the package touches process.env.
import { redactStorageUrl } from "./storage/storage-url.js";

export interface CollectorConfig {
  httpHost: string;
  httpPort: number;
  grpcAddress: string;
  /** Embedded engine data directory (used when storageUrl is empty). */
  dataDir: string;
  /** http(s) URL of a ClickHouse server; empty selects the embedded engine. */
  storageUrl: string;
  retentionDays: number;
  /** Days per-minute roll-ups (map, RED, endpoints) and picker names are kept. */
  rollupRetentionDays: number;
  /** Days the hourly roll-ups are kept (at least rollupRetentionDays). */
  hourlyRollupRetentionDays: number;
  profileRetentionDays: number;
  linkRetentionDays: number;
  /** Days an agent that stopped reporting stays listed. */
  agentRetentionDays: number;
  /** Per-query limits of every SELECT (max_execution_time, max_memory_usage, max_rows_to_read). */
  queryMaxSeconds: number;
  queryMaxMemoryMegabytes: number;
  queryMaxRows: number;
  /** Bytes the database's parts may take (system.parts); 0: no limit. */
  storageMaxBytes: number;
  /** Free share of the data volume (%) the disk guard keeps; 0: not watched. */
  storageMinFreePercent: number;
  /** ClickHouse cluster name for ReplicatedMergeTree + Distributed tables; empty is one node. */
  storageCluster: string;
  /** INSERT statements running at once; batches arriving meanwhile queue and are coalesced. */
  maxInflightInserts: number;
  /** Rows one coalesced INSERT takes at most. */
  maxRowsPerInsert: number;
  /** An insert starts at most once per this many ms, unless maxRowsPerInsert rows wait. */
  ingestLingerMs: number;
  ingestIdleLingerMs: number;
  /** Rows the insert queue (and outage buffer) holds before batches are refused. */
  ingestBufferRows: number;
  /** Serialised megabytes the insert queue (and outage buffer) holds before batches are refused. */
  ingestBufferMegabytes: number;
  /** When an Export batch is acknowledged: once stored, or once queued for insert. */
  ingestAck: "stored" | "queued";
  logLevel: string;
  /** Bootstrap admin API token; set, the HTTP API requires a token on every request but health. */
  adminToken: string;
  /** Bootstrap API token with the editor role, for the UI's server (needs adminToken; must differ from it). */
  uiToken: string;
  /** Token agents present in gRPC metadata; set, ingest and control streams require it. */
  agentToken: string;
  /** Allows listening on a non-loopback address without tokens (behind another auth layer). */
  authDisabled: boolean;
  /** PEM certificate and key files; both set serve HTTPS and gRPC over TLS. */
  tlsCertFile: string;
  tlsKeyFile: string;
  /** "auto": watch the Kubernetes API when in a cluster or configured; "off": never (host mode). */
  kubernetes: "auto" | "off";
  /** kubeconfig file for the cluster watch instead of the in-cluster service account. */
  kubeconfig: string;
  /** Kubernetes API URL reached without credentials (kubectl proxy); overrides the others. */
  kubernetesApiUrl: string;
  /** KUBERNETES_SERVICE_HOST, set by the kubelet in every pod: the collector runs in a cluster. */
  kubernetesServiceHost: string;
  /** Seconds a deleted pod's metadata still decorates records that arrive late. */
  kubernetesGraceSeconds: number;
  /** OTLP/HTTP endpoint spans and RED series are exported to (…/v1/traces, …/v1/metrics); empty: no export. */
  otlpEndpoint: string;
  /** Headers sent with every OTLP request (authentication), name=value pairs. */
  otlpHeaders: Record<string, string>;
  /** Spans, and series, held for export at most; past it new ones are dropped and counted. */
  otlpQueueItems: number;
}

type Parser<T> = (raw: string) => T;

interface EnvVar<K extends keyof CollectorConfig> {
  key: K;
  description: string;
  defaultValue: CollectorConfig[K];
  parse: Parser<CollectorConfig[K]>;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function integerInRange(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`expected an integer, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max) throw new ConfigError(`expected ${min}..${max}, got ${value}`);
    return value;
  };
}

function nonEmptyText(raw: string): string {
  const value = raw.trim();
  if (value === "") throw new ConfigError("must not be empty");
  return value;
}

function hostPort(raw: string): string {
  const value = raw.trim();
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(value)) {
    throw new ConfigError(`expected host:port, got "${raw}"`);
  }
  return value;
}

function httpUrlOrEmpty(raw: string): string {
  const value = raw.trim();
  if (value === "") return "";
  let url: URL;
  // The URL carries the password: a message shows it with its user-info hidden.
  const shown = redactStorageUrl(value);
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      `expected an http(s) URL like http://user:password@host:8123/database (percent-encode # @ / : in the password), got "${shown}"`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`expected an http(s) URL, got "${shown}"`);
  }
  return value;
}

const BYTE_UNITS: Record<string, number> = {
  "": 1,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** Bytes as an integer with an optional unit: 500000000, 20G, 20GiB, 512Mi. */
function byteSize(raw: string): number {
  const match = /^(\d+)\s*([KMGT]i?)?B?$/.exec(raw.trim());
  const unit = BYTE_UNITS[match?.[2] ?? ""];
  if (match === null || unit === undefined)
    throw new ConfigError(`expected bytes like 20GiB or 500000000, got "${raw}"`);
  return Number(match[1]) * unit;
}

function clusterNameOrEmpty(raw: string): string {
  const value = raw.trim();
  // Rendered into DDL (ON CLUSTER), so only an identifier is accepted.
  if (value !== "" && !/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/.test(value)) {
    throw new ConfigError(`expected a cluster name (letters, digits, _ and -), got "${raw}"`);
  }
  return value;
}

function ingestAck(raw: string): "stored" | "queued" {
  const value = raw.trim().toLowerCase();
  if (value !== "stored" && value !== "queued") throw new ConfigError('expected "stored" or "queued"');
  return value;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function logLevel(raw: string): string {
  const value = raw.trim().toLowerCase();
  if (!LOG_LEVELS.includes(value)) throw new ConfigError(`expected one of ${LOG_LEVELS.join(", ")}`);
  return value;
}

function secretOrEmpty(raw: string): string {
  const value = raw.trim();
  if (value !== "" && value.length < 16) throw new ConfigError("a token must be at least 16 characters");
  return value;
}

function trueOrFalse(raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new ConfigError(`expected true or false, got "${raw}"`);
}

function autoOrOff(raw: string): "auto" | "off" {
  const value = raw.trim().toLowerCase();
  if (value !== "auto" && value !== "off") throw new ConfigError('expected "auto" or "off"');
  return value;
}

/** OTEL_EXPORTER_OTLP_HEADERS' form: name=value pairs separated by commas, values URL-encoded. */
function headerList(raw: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of raw.split(",")) {
    if (pair.trim() === "") continue;
    const separator = pair.indexOf("=");
    const name = pair.slice(0, separator).trim();
    if (separator <= 0 || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
      throw new ConfigError(
        `expected name=value pairs separated by commas, got "${pair.trim().slice(0, 40)}"`,
      );
    }
    try {
      headers[name] = decodeURIComponent(pair.slice(separator + 1).trim());
    } catch {
      throw new ConfigError(`the value of ${name} is not URL-encoded correctly`);
    }
  }
  return headers;
}

function textOrEmpty(raw: string): string {
  return raw.trim();
}

const ENV_VARS: { [K in keyof CollectorConfig]: EnvVar<K> & { name: string } } = {
  httpHost: {
    name: "PERISCOPE_HTTP_HOST",
    key: "httpHost",
    description: "Interface the HTTP API listens on",
    defaultValue: "127.0.0.1",
    parse: nonEmptyText,
  },
  httpPort: {
    name: "PERISCOPE_HTTP_PORT",
    key: "httpPort",
    description: "HTTP API port (0 picks a free one)",
    defaultValue: 8080,
    parse: integerInRange(0, 65535),
  },
  grpcAddress: {
    name: "PERISCOPE_GRPC_ADDR",
    key: "grpcAddress",
    description: "host:port of the gRPC ingest server (port 0 picks a free one)",
    defaultValue: "127.0.0.1:4770",
    parse: hostPort,
  },
  dataDir: {
    name: "PERISCOPE_DATA_DIR",
    key: "dataDir",
    description: "Data directory of the embedded ClickHouse engine, relative to the working directory",
    defaultValue: ".periscope/data",
    parse: nonEmptyText,
  },
  storageUrl: {
    name: "PERISCOPE_STORAGE_URL",
    key: "storageUrl",
    description:
      "ClickHouse server URL (http://user:password@host:8123/database); unset uses the embedded engine",
    defaultValue: "",
    parse: httpUrlOrEmpty,
  },
  retentionDays: {
    name: "PERISCOPE_RETENTION_DAYS",
    key: "retentionDays",
    description: "Days a request record is kept before ClickHouse's TTL removes it",
    defaultValue: 7,
    parse: integerInRange(1, 3650),
  },
  rollupRetentionDays: {
    name: "PERISCOPE_ROLLUP_RETENTION_DAYS",
    key: "rollupRetentionDays",
    description: "Days the per-minute map/RED/endpoint roll-ups and picker names are kept",
    defaultValue: 30,
    parse: integerInRange(1, 3650),
  },
  hourlyRollupRetentionDays: {
    name: "PERISCOPE_ROLLUP_HOURLY_RETENTION_DAYS",
    key: "hourlyRollupRetentionDays",
    description:
      "Days the hourly map/RED/endpoint roll-ups are kept; at least PERISCOPE_ROLLUP_RETENTION_DAYS (long ranges read hours)",
    defaultValue: 365,
    parse: integerInRange(1, 3650),
  },
  queryMaxSeconds: {
    name: "PERISCOPE_QUERY_MAX_SECONDS",
    key: "queryMaxSeconds",
    description: "A query running longer is stopped by the engine (max_execution_time); the API answers 503",
    defaultValue: 30,
    parse: integerInRange(1, 3600),
  },
  queryMaxMemoryMegabytes: {
    name: "PERISCOPE_QUERY_MAX_MEMORY_MB",
    key: "queryMaxMemoryMegabytes",
    description: "Memory one query may use (max_memory_usage); over it the API answers 422, narrow the range",
    defaultValue: 1024,
    parse: integerInRange(16, 1_048_576),
  },
  queryMaxRows: {
    name: "PERISCOPE_QUERY_MAX_ROWS",
    key: "queryMaxRows",
    description: "Rows one query may read (max_rows_to_read); over it the API answers 422, narrow the range",
    defaultValue: 1_000_000_000,
    parse: integerInRange(1, 1_000_000_000_000),
  },
  storageMaxBytes: {
    name: "PERISCOPE_STORAGE_MAX_BYTES",
    key: "storageMaxBytes",
    description:
      "Bytes Periscope's tables may take on disk (e.g. 20GiB); past it the oldest day partitions are dropped, raw records first (0: no limit)",
    defaultValue: 0,
    parse: byteSize,
  },
  storageMinFreePercent: {
    name: "PERISCOPE_STORAGE_MIN_FREE_PERCENT",
    key: "storageMinFreePercent",
    description:
      "Free space (%) kept on the storage volume: below it the oldest day partitions are dropped, raw records first (0: not watched)",
    defaultValue: 10,
    parse: integerInRange(0, 90),
  },
  profileRetentionDays: {
    name: "PERISCOPE_PROFILE_RETENTION_DAYS",
    key: "profileRetentionDays",
    description: "Days CPU profile samples and stacks are kept",
    defaultValue: 7,
    parse: integerInRange(1, 3650),
  },
  linkRetentionDays: {
    name: "PERISCOPE_LINK_RETENTION_DAYS",
    key: "linkRetentionDays",
    description: "Days a shared link is kept after it was created",
    defaultValue: 90,
    parse: integerInRange(1, 3650),
  },
  agentRetentionDays: {
    name: "PERISCOPE_AGENT_RETENTION_DAYS",
    key: "agentRetentionDays",
    description: "Days an agent that stopped reporting stays listed",
    defaultValue: 30,
    parse: integerInRange(1, 3650),
  },
  storageCluster: {
    name: "PERISCOPE_STORAGE_CLUSTER",
    key: "storageCluster",
    description:
      "ClickHouse cluster name: tables become ReplicatedMergeTree with Distributed tables, DDL runs ON CLUSTER; unset is one node",
    defaultValue: "",
    parse: clusterNameOrEmpty,
  },
  maxInflightInserts: {
    name: "PERISCOPE_INGEST_MAX_INFLIGHT",
    key: "maxInflightInserts",
    description:
      "INSERT statements running at once; batches arriving meanwhile are queued and coalesced into the next insert",
    defaultValue: 2,
    parse: integerInRange(1, 64),
  },
  maxRowsPerInsert: {
    name: "PERISCOPE_INGEST_MAX_ROWS_PER_INSERT",
    key: "maxRowsPerInsert",
    description:
      "Rows one coalesced INSERT takes at most (larger inserts amortise ClickHouse's per-part cost)",
    defaultValue: 100_000,
    parse: integerInRange(1_000, 10_000_000),
  },
  ingestLingerMs: {
    name: "PERISCOPE_INGEST_LINGER_MS",
    key: "ingestLingerMs",
    description:
      "While someone reads the data, an insert starts at most once per this many ms (each table once), unless PERISCOPE_INGEST_MAX_ROWS_PER_INSERT rows wait: fewer, larger parts for the engine to write and merge; agents' acknowledgements wait up to this long (0: insert whenever the previous one finishes)",
    defaultValue: 1_000,
    parse: integerInRange(0, 60_000),
  },
  ingestIdleLingerMs: {
    name: "PERISCOPE_INGEST_IDLE_LINGER_MS",
    key: "ingestIdleLingerMs",
    description:
      "PERISCOPE_INGEST_LINGER_MS while nobody reads the data (no API read for a minute, no live subscriber): a quiet cluster costs the engine fewer parts; data is up to this much older until someone looks. Keep it under agents' 10 s request timeout",
    defaultValue: 5_000,
    parse: integerInRange(0, 8_000),
  },
  ingestBufferRows: {
    name: "PERISCOPE_INGEST_BUFFER_ROWS",
    key: "ingestBufferRows",
    description:
      "Rows queued for insert, or held while storage is down, before new batches are refused (RESOURCE_EXHAUSTED; agents keep and retry them)",
    defaultValue: 1_000_000,
    parse: integerInRange(1_000, 100_000_000),
  },
  ingestAck: {
    name: "PERISCOPE_INGEST_ACK",
    key: "ingestAck",
    description:
      'When agents get their OK: "stored" (after the insert) or "queued" (once in the bounded queue: larger inserts, higher throughput; a crash loses what is queued)',
    defaultValue: "stored",
    parse: ingestAck,
  },
  ingestBufferMegabytes: {
    name: "PERISCOPE_INGEST_BUFFER_MB",
    key: "ingestBufferMegabytes",
    description:
      "Megabytes of serialised rows queued or held while storage is down, before new batches are refused",
    defaultValue: 256,
    parse: integerInRange(1, 65_536),
  },
  logLevel: {
    name: "PERISCOPE_LOG_LEVEL",
    key: "logLevel",
    description: "pino log level of the collector",
    defaultValue: "info",
    parse: logLevel,
  },
  adminToken: {
    name: "PERISCOPE_ADMIN_TOKEN",
    key: "adminToken",
    description:
      "Bootstrap admin API token (≥ 16 chars); when set, every API request needs a token (Authorization: Bearer)",
    defaultValue: "",
    parse: secretOrEmpty,
  },
  uiToken: {
    name: "PERISCOPE_UI_TOKEN",
    key: "uiToken",
    description:
      "Bootstrap API token with the editor role (≥ 16 chars), for the UI's server: reads, links and agent config, never tokens; needs PERISCOPE_ADMIN_TOKEN",
    defaultValue: "",
    parse: secretOrEmpty,
  },
  agentToken: {
    name: "PERISCOPE_AGENT_TOKEN",
    key: "agentToken",
    description: "Token agents send as gRPC metadata (authorization: Bearer …); when set, required",
    defaultValue: "",
    parse: secretOrEmpty,
  },
  authDisabled: {
    name: "PERISCOPE_AUTH_DISABLED",
    key: "authDisabled",
    description:
      "true lets the collector listen beyond loopback without tokens (another layer authenticates)",
    defaultValue: false,
    parse: trueOrFalse,
  },
  tlsCertFile: {
    name: "PERISCOPE_TLS_CERT",
    key: "tlsCertFile",
    description: "PEM certificate chain file; with PERISCOPE_TLS_KEY, HTTPS and gRPC over TLS",
    defaultValue: "",
    parse: textOrEmpty,
  },
  tlsKeyFile: {
    name: "PERISCOPE_TLS_KEY",
    key: "tlsKeyFile",
    description: "PEM private key file for PERISCOPE_TLS_CERT",
    defaultValue: "",
    parse: textOrEmpty,
  },
  kubernetes: {
    name: "PERISCOPE_KUBERNETES",
    key: "kubernetes",
    description:
      'Kubernetes metadata: "auto" watches the cluster (pods, Services, workloads, nodes) when the collector runs in one or PERISCOPE_KUBECONFIG / PERISCOPE_KUBERNETES_API_URL is set, and decorates records with pod, namespace, workload and node; "off" never watches',
    defaultValue: "auto",
    parse: autoOrOff,
  },
  kubeconfig: {
    name: "PERISCOPE_KUBECONFIG",
    key: "kubeconfig",
    description:
      "kubeconfig file for the cluster watch (its current context), instead of the in-cluster service account",
    defaultValue: "",
    parse: textOrEmpty,
  },
  kubernetesApiUrl: {
    name: "PERISCOPE_KUBERNETES_API_URL",
    key: "kubernetesApiUrl",
    description:
      "Kubernetes API URL reached without credentials (e.g. kubectl proxy); overrides the kubeconfig",
    defaultValue: "",
    parse: httpUrlOrEmpty,
  },
  kubernetesServiceHost: {
    name: "KUBERNETES_SERVICE_HOST",
    key: "kubernetesServiceHost",
    description:
      "Set by Kubernetes in every pod; present, PERISCOPE_KUBERNETES=auto uses the in-cluster service account",
    defaultValue: "",
    parse: textOrEmpty,
  },
  kubernetesGraceSeconds: {
    name: "PERISCOPE_KUBERNETES_GRACE_SECONDS",
    key: "kubernetesGraceSeconds",
    description:
      "Seconds a deleted pod's metadata is kept, so records that arrive late (agent retries, spool) still resolve",
    defaultValue: 300,
    parse: integerInRange(0, 86_400),
  },
  otlpEndpoint: {
    name: "PERISCOPE_OTLP_ENDPOINT",
    key: "otlpEndpoint",
    description:
      "OTLP/HTTP receiver (an OpenTelemetry Collector, Tempo, Jaeger…) the collector exports to as protobuf: request records as spans to <url>/v1/traces, RED series as metrics to <url>/v1/metrics, batched, retried, bounded; empty: no export",
    defaultValue: "",
    parse: httpUrlOrEmpty,
  },
  otlpHeaders: {
    name: "PERISCOPE_OTLP_HEADERS",
    key: "otlpHeaders",
    description:
      "Headers for every OTLP request, e.g. authorization=Bearer%20xyz (name=value pairs, comma-separated, values URL-encoded)",
    defaultValue: {},
    parse: headerList,
  },
  otlpQueueItems: {
    name: "PERISCOPE_OTLP_QUEUE_ITEMS",
    key: "otlpQueueItems",
    description:
      "Spans, and separately series, held for OTLP export while the receiver is slow or down; past it new ones are dropped and counted (periscope_otlp_dropped_total)",
    defaultValue: 100_000,
    parse: integerInRange(1_000, 10_000_000),
  },
};

/** Reads the collector's configuration, reporting every invalid variable at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): CollectorConfig {
  const problems: string[] = [];
  const config = {} as Record<keyof CollectorConfig, unknown>;
  for (const spec of Object.values(ENV_VARS)) {
    const raw = env[spec.name];
    if (raw === undefined || raw === "") {
      config[spec.key] = spec.defaultValue;
      continue;
    }
    try {
      config[spec.key] = spec.parse(raw);
    } catch (error) {
      problems.push(`${spec.name}: ${(error as Error).message}`);
    }
  }
  const { rollupRetentionDays: minute, hourlyRollupRetentionDays: hourly } = config;
  if (typeof minute === "number" && typeof hourly === "number" && hourly < minute) {
    problems.push(
      `PERISCOPE_ROLLUP_HOURLY_RETENTION_DAYS: must be at least PERISCOPE_ROLLUP_RETENTION_DAYS (${minute}), got ${hourly}`,
    );
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
  return config as CollectorConfig;
}

/** Names, defaults and descriptions, for --help output and docs. */
export function describeEnvironment(): { name: string; defaultValue: string; description: string }[] {
  return Object.values(ENV_VARS).map((spec) => ({
    name: spec.name,
    defaultValue: typeof spec.defaultValue === "object" ? "" : String(spec.defaultValue),
    description: spec.description,
  }));
}
