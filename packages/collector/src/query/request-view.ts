// How a `requests` row is selected and shown by the API; shared by search,
// request detail and traces so the three always agree on a request's shape.
import { formatRequestId, rowHash } from "./request-id.js";

export interface EndpointView {
  service: string;
  ip: string;
  port: number;
  pid: number;
  processName: string;
  /** Container of the process (64 hex from the agent's cgroup read); "" outside containers or not traced on this end. */
  containerId: string;
  /** Kubernetes identity of the end; "" when unknown (a host, or an address outside the cluster). */
  namespace: string;
  workload: string;
  pod: string;
  node: string;
}

export interface RequestView {
  /** Stable id of this observation; GET /api/v1/requests/:id returns its detail. */
  id: string;
  time: string;
  timeUnixNano: string;
  protocol: string;
  side: "client" | "server";
  client: EndpointView;
  server: EndpointView;
  operation: string;
  target: string;
  status: number;
  error: boolean;
  durationMs: number;
  requestBytes: number;
  responseBytes: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  agentId: string;
  /** How many requests this record stands for: 1, or 1 / the probability the agent's record budget kept it with. */
  sampleWeight: number;
}

export interface RequestDetailView extends RequestView {
  attributes: Record<string, string>;
  truncated: boolean;
}

export interface RequestRowOut {
  time_ns: string;
  protocol: string;
  side: "client" | "server";
  client_service: string;
  client_ip: string;
  client_port: number;
  client_pid: number;
  client_process: string;
  client_container_id: string;
  client_namespace: string;
  client_workload: string;
  client_pod: string;
  client_node: string;
  server_service: string;
  server_ip: string;
  server_port: number;
  server_pid: number;
  server_process: string;
  server_container_id: string;
  server_namespace: string;
  server_workload: string;
  server_pod: string;
  server_node: string;
  operation: string;
  target: string;
  status: number;
  error: boolean;
  duration_ns: string;
  request_bytes: string;
  response_bytes: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  agent_id: string;
  sample_weight: number;
}

export interface RequestDetailRowOut extends RequestRowOut {
  attributes: Record<string, string>;
  truncated: boolean;
}

export const REQUEST_COLUMNS_SQL = `
  toString(toUnixTimestamp64Nano(time)) AS time_ns,
  protocol, side,
  client_service, client_ip, client_port, client_pid, client_process, client_container_id,
  client_namespace, client_workload, client_pod, client_node,
  server_service, server_ip, server_port, server_pid, server_process, server_container_id,
  server_namespace, server_workload, server_pod, server_node,
  operation, target, status, error, duration_ns, request_bytes, response_bytes,
  trace_id, span_id, parent_span_id, agent_id, sample_weight`;

export const REQUEST_DETAIL_COLUMNS_SQL = `${REQUEST_COLUMNS_SQL}, attributes, truncated`;

export function toRequestView(row: RequestRowOut): RequestView {
  return requestViewAt(row.time_ns, row);
}

/**
 * The view of a row's columns at `timeNs` (nanoseconds since the epoch, decimal):
 * query results name the time `time_ns`, rows as ingest stores them name it `time`.
 */
export function requestViewAt(timeNs: string, row: Omit<RequestRowOut, "time_ns">): RequestView {
  const nanos = BigInt(timeNs);
  return {
    id: formatRequestId({ timeNs, hash: rowHash(row) }),
    time: new Date(Number(nanos / 1_000_000n)).toISOString(),
    timeUnixNano: timeNs,
    protocol: row.protocol,
    side: row.side,
    client: {
      service: row.client_service,
      ip: row.client_ip,
      port: row.client_port,
      pid: row.client_pid,
      processName: row.client_process,
      containerId: row.client_container_id ?? "",
      namespace: row.client_namespace ?? "",
      workload: row.client_workload ?? "",
      pod: row.client_pod ?? "",
      node: row.client_node ?? "",
    },
    server: {
      service: row.server_service,
      ip: row.server_ip,
      port: row.server_port,
      pid: row.server_pid,
      processName: row.server_process,
      containerId: row.server_container_id ?? "",
      namespace: row.server_namespace ?? "",
      workload: row.server_workload ?? "",
      pod: row.server_pod ?? "",
      node: row.server_node ?? "",
    },
    operation: row.operation,
    target: row.target,
    status: row.status,
    error: Boolean(row.error),
    durationMs: Number(row.duration_ns) / 1_000_000,
    requestBytes: Number(row.request_bytes),
    responseBytes: Number(row.response_bytes),
    traceId: row.trace_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    agentId: row.agent_id,
    sampleWeight: Number(row.sample_weight),
  };
}

/** A row with its identity hash, in the API's order: newest first, then hash descending. */
export interface KeyedRow<Row extends RequestRowOut = RequestRowOut> {
  row: Row;
  timeNs: bigint;
  hash: string;
}

export function keyed<Row extends RequestRowOut>(row: Row): KeyedRow<Row> {
  return { row, timeNs: BigInt(row.time_ns), hash: rowHash(row) };
}

export function newestFirst(a: KeyedRow, b: KeyedRow): number {
  if (a.timeNs !== b.timeNs) return a.timeNs > b.timeNs ? -1 : 1;
  return a.hash === b.hash ? 0 : a.hash > b.hash ? -1 : 1;
}

export function toRequestDetailView(row: RequestDetailRowOut): RequestDetailView {
  return { ...toRequestView(row), attributes: row.attributes, truncated: Boolean(row.truncated) };
}
