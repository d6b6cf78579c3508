// The agent's user-space pipeline as a library (tests, benchmarks, e2e harnesses).
export type { ConnId, KernelEvent } from "./capture/events.js";
export { type AgentConfig, ConfigError, loadConfig } from "./config.js";
export { Connection, type SocketEndpoint } from "./connections/connection.js";
export { ConnectionTracker, type ConnectionTrackerOptions } from "./connections/connection-tracker.js";
export { StreamBuffer } from "./connections/stream-buffer.js";
export { Exporter } from "./export/exporter.js";
export type { ExporterOptions } from "./export/exporter-options.js";
export { ListeningSockets } from "./metadata/listening-sockets.js";
export { LocalAddresses } from "./metadata/local-addresses.js";
export { ProcessNames } from "./metadata/process-names.js";
export { Pipeline, type PipelineCounters, type PipelineOptions } from "./pipeline.js";
export { Http1Parser, type HttpExchange } from "./protocols/http1/http1-parser.js";
export { MonotonicClock } from "./records/monotonic-clock.js";
export type { RecordEndpoint, RequestRecord } from "./records/request-record.js";
export { toProtoRecord } from "./records/to-proto.js";
