import type { ProtocolName } from "@periscope/proto";

// The protocol names are the contract's (packages/proto/src/protocols.ts), so
// records, the collector's filter and the control config spell them alike.
export type { ProtocolName };

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
