// Maps a proto RequestRecord onto a row of the `requests` table: one column
// list (REQUEST_ROW_COLUMNS) that toRequestRow reads into a JSONEachRow object
// and request-tsv.ts writes as bytes, so the two can never disagree.
import { type Endpoint, type RequestRecord, Side } from "@periscope/proto";
import type { DecoratedRecord, EndpointIdentity } from "../kubernetes/identity.js";

export interface RequestRow {
  /** Nanoseconds since the epoch as a decimal string: DateTime64(9) parses it exactly. */
  time: string;
  agent_id: string;
  protocol: string;
  side: "client" | "server";
  client_ip: string;
  client_port: number;
  client_service: string;
  client_pid: number;
  client_process: string;
  /** Container of the client process (Endpoint.container_id, 64 hex); "" outside containers. */
  client_container_id: string;
  client_namespace: string;
  client_workload: string;
  /** Kubernetes pod and node of the client end (collector metadata); "" when unknown. */
  client_pod: string;
  client_node: string;
  /** The agent's name for a client it could not tie to a process (DNS name, address group). */
  client_host: string;
  server_ip: string;
  server_port: number;
  server_service: string;
  server_pid: number;
  server_process: string;
  server_container_id: string;
  server_namespace: string;
  server_workload: string;
  server_pod: string;
  server_node: string;
  server_host: string;
  operation: string;
  target: string;
  status: number;
  error: boolean;
  // UInt64 values travel as strings so values above 2^53 stay exact.
  duration_ns: string;
  request_bytes: string;
  response_bytes: string;
  attributes: Record<string, string>;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  truncated: boolean;
  /** How many requests this record stands for (1 / the probability it was kept). */
  sample_weight: number;
  /** The agent's batch that carried it: what a restarted collector deduplicates by (batch-sequence-store.ts). */
  batch_seq?: string;
}

// Until Endpoint carries Kubernetes metadata, an agent may send it as
// attributes; the DNS name a client asked for is HTTP Host (:authority for HTTP/2),
// else the name the agent gave the peer (agent metadata/peer-names.ts).
export const CLIENT_NAMESPACE = "k8s.client.namespace";
export const CLIENT_WORKLOAD = "k8s.client.workload";
export const SERVER_NAMESPACE = "k8s.server.namespace";
export const SERVER_WORKLOAD = "k8s.server.workload";
const HOST_ATTRIBUTES = ["http.host", "server.host"] as const;
export const CLIENT_HOST = "client.host";

export function hostOf(attributes: Record<string, string>): string {
  for (const key of HOST_ATTRIBUTES) {
    const value = attributes[key];
    if (value !== undefined && value !== "") return value;
  }
  return "";
}

type Column =
  | { name: keyof RequestRow; type: "text"; of(record: RequestRecord, agentId: string): string }
  | { name: keyof RequestRow; type: "number"; of(record: RequestRecord): number }
  /** UInt64: a decimal string in JSON so values above 2^53 stay exact. */
  | {
      name: keyof RequestRow;
      type: "uint64";
      of(record: RequestRecord, agentId: string, batchSeq: bigint): bigint;
    }
  | { name: keyof RequestRow; type: "bool"; of(record: RequestRecord): boolean }
  | { name: keyof RequestRow; type: "map"; of(record: RequestRecord): Record<string, string> };

function endpointColumns(end: "client" | "server"): Column[] {
  const of = (record: RequestRecord): Endpoint | undefined => record[end];
  return [
    { name: `${end}_ip`, type: "text", of: (r) => of(r)?.ip ?? "" },
    { name: `${end}_port`, type: "number", of: (r) => of(r)?.port ?? 0 },
    { name: `${end}_service`, type: "text", of: (r) => of(r)?.service ?? "" },
    { name: `${end}_pid`, type: "number", of: (r) => of(r)?.pid ?? 0 },
    { name: `${end}_process`, type: "text", of: (r) => of(r)?.processName ?? "" },
    { name: `${end}_container_id`, type: "text", of: (r) => of(r)?.containerId ?? "" },
  ];
}

const attribute =
  (key: string) =>
  (record: RequestRecord): string =>
    record.attributes[key] ?? "";

/**
 * Kubernetes identity of one end: what the collector's metadata decorated it
 * with (kubernetes/decorate.ts), else what an agent sent as attributes.
 */
function identityColumns(end: "client" | "server", namespaceKey: string, workloadKey: string): Column[] {
  const of = (record: RequestRecord): EndpointIdentity | undefined =>
    (record as DecoratedRecord).identities?.[end];
  const or = (value: string | undefined, record: RequestRecord, key: string) =>
    value !== undefined && value !== "" ? value : (record.attributes[key] ?? "");
  return [
    { name: `${end}_namespace`, type: "text", of: (r) => or(of(r)?.namespace, r, namespaceKey) },
    { name: `${end}_workload`, type: "text", of: (r) => or(of(r)?.workload, r, workloadKey) },
    { name: `${end}_pod`, type: "text", of: (r) => of(r)?.pod ?? "" },
    { name: `${end}_node`, type: "text", of: (r) => of(r)?.node ?? "" },
  ];
}

/**
 * Every column of `requests` and how a record fills it, in the order of the
 * TSV lines and the INSERT's column list: the one mapping from record to row,
 * read by toRequestRow and by requestRecordsToTsv (request-tsv.ts).
 */
export const REQUEST_ROW_COLUMNS: readonly Column[] = [
  { name: "time", type: "uint64", of: (r) => r.startTimeUnixNano },
  { name: "agent_id", type: "text", of: (_r, agentId) => agentId },
  { name: "protocol", type: "text", of: (r) => r.protocol },
  { name: "side", type: "text", of: (r) => (r.side === Side.CLIENT ? "client" : "server") },
  ...endpointColumns("client"),
  ...identityColumns("client", CLIENT_NAMESPACE, CLIENT_WORKLOAD),
  { name: "client_host", type: "text", of: attribute(CLIENT_HOST) },
  ...endpointColumns("server"),
  ...identityColumns("server", SERVER_NAMESPACE, SERVER_WORKLOAD),
  { name: "server_host", type: "text", of: (r) => hostOf(r.attributes) },
  { name: "operation", type: "text", of: (r) => r.operation },
  { name: "target", type: "text", of: (r) => r.target },
  { name: "status", type: "number", of: (r) => r.status },
  { name: "error", type: "bool", of: (r) => r.error },
  { name: "duration_ns", type: "uint64", of: (r) => r.durationNano },
  { name: "request_bytes", type: "uint64", of: (r) => r.requestBytes },
  { name: "response_bytes", type: "uint64", of: (r) => r.responseBytes },
  { name: "attributes", type: "map", of: (r) => r.attributes },
  { name: "trace_id", type: "text", of: (r) => r.traceId },
  { name: "span_id", type: "text", of: (r) => r.spanId },
  { name: "parent_span_id", type: "text", of: (r) => r.parentSpanId },
  { name: "truncated", type: "bool", of: (r) => r.truncated },
  // 0 is 1: an agent from before sampling sent every record.
  { name: "sample_weight", type: "number", of: (r) => (r.sampleWeight === 0 ? 1 : r.sampleWeight) },
  { name: "batch_seq", type: "uint64", of: (_r, _agentId, batchSeq) => batchSeq },
];

// Every key present from the start, in column order: filling a copy of it keeps
// one object shape; adding 32 keys to {} one by one cost ~2 µs per row.
const EMPTY_ROW: Record<string, unknown> = Object.fromEntries(
  REQUEST_ROW_COLUMNS.map((column) => [column.name, undefined]),
);

export function toRequestRow(agentId: string, record: RequestRecord, batchSeq = 0n): RequestRow {
  const row: Record<string, unknown> = { ...EMPTY_ROW };
  for (const column of REQUEST_ROW_COLUMNS) {
    switch (column.type) {
      case "uint64":
        row[column.name] = column.of(record, agentId, batchSeq).toString();
        break;
      case "map":
        row[column.name] = { ...column.of(record) };
        break;
      default:
        row[column.name] = column.of(record, agentId);
    }
  }
  return row as unknown as RequestRow;
}
