// Maps a proto RequestRecord onto a row of the `requests` table (JSONEachRow);
// request-tsv.ts writes the same columns as bytes.
import { type Endpoint, type RequestRecord, Side } from "@periscope/proto";

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
  client_namespace: string;
  client_workload: string;
  server_ip: string;
  server_port: number;
  server_service: string;
  server_pid: number;
  server_process: string;
  server_namespace: string;
  server_workload: string;
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
}

function endpointColumns(endpoint: Endpoint | undefined) {
  return {
    ip: endpoint?.ip ?? "",
    port: endpoint?.port ?? 0,
    service: endpoint?.service ?? "",
    pid: endpoint?.pid ?? 0,
    process: endpoint?.processName ?? "",
  };
}

// Until Endpoint carries Kubernetes metadata, an agent may send it as
// attributes; the DNS name a client asked for is HTTP Host (:authority for HTTP/2).
export const CLIENT_NAMESPACE = "k8s.client.namespace";
export const CLIENT_WORKLOAD = "k8s.client.workload";
export const SERVER_NAMESPACE = "k8s.server.namespace";
export const SERVER_WORKLOAD = "k8s.server.workload";
const HOST_ATTRIBUTES = ["http.host"] as const;

export function hostOf(attributes: Record<string, string>): string {
  for (const key of HOST_ATTRIBUTES) {
    const value = attributes[key];
    if (value !== undefined && value !== "") return value;
  }
  return "";
}

export function toRequestRow(agentId: string, record: RequestRecord): RequestRow {
  const client = endpointColumns(record.client);
  const server = endpointColumns(record.server);
  return {
    time: record.startTimeUnixNano.toString(),
    agent_id: agentId,
    protocol: record.protocol,
    side: record.side === Side.CLIENT ? "client" : "server",
    client_ip: client.ip,
    client_port: client.port,
    client_service: client.service,
    client_pid: client.pid,
    client_process: client.process,
    client_namespace: record.attributes[CLIENT_NAMESPACE] ?? "",
    client_workload: record.attributes[CLIENT_WORKLOAD] ?? "",
    server_ip: server.ip,
    server_port: server.port,
    server_service: server.service,
    server_pid: server.pid,
    server_process: server.process,
    server_namespace: record.attributes[SERVER_NAMESPACE] ?? "",
    server_workload: record.attributes[SERVER_WORKLOAD] ?? "",
    server_host: hostOf(record.attributes),
    operation: record.operation,
    target: record.target,
    status: record.status,
    error: record.error,
    duration_ns: record.durationNano.toString(),
    request_bytes: record.requestBytes.toString(),
    response_bytes: record.responseBytes.toString(),
    attributes: { ...record.attributes },
    trace_id: record.traceId,
    span_id: record.spanId,
    parent_span_id: record.parentSpanId,
    truncated: record.truncated,
  };
}
