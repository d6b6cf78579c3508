/** A process (or unknown peer) at one end of a request. */
export interface RecordEndpoint {
  ip: string;
  port: number;
  /** Service identity: a local process's name, or "" when the peer is unknown. */
  service: string;
  /** 0 when the process is not on this host or not known. */
  pid: number;
  processName: string;
}

/** Protocol names in records and in the collector's `protocol` filter. */
export const PROTOCOL_NAMES = [
  "http",
  "http2",
  "grpc",
  "postgres",
  "mysql",
  "redis",
  "dns",
  "kafka",
  "amqp",
  "nats",
  "mongo",
  "mqtt",
] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

/** One request paired with its response, independent of the protocol that carried it. */
export interface RequestRecord {
  protocol: ProtocolName;
  /** Which end observed it: the process that wrote the request, or the one that read it. */
  side: "client" | "server";
  /** First request byte, CLOCK_MONOTONIC ns (converted to wall clock at export). */
  startMonotonicNs: bigint;
  /** First request byte to last response byte. */
  durationNs: bigint;
  client: RecordEndpoint;
  server: RecordEndpoint;
  operation: string;
  target: string;
  status: number;
  error: boolean;
  requestBytes: number;
  responseBytes: number;
  attributes: Record<string, string>;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  truncated: boolean;
}
