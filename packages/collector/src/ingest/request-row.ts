// Maps a proto RequestRecord onto a row of the `requests` table (JSONEachRow).
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
  server_ip: string;
  server_port: number;
  server_service: string;
  server_pid: number;
  server_process: string;
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
    server_ip: server.ip,
    server_port: server.port,
    server_service: server.service,
    server_pid: server.pid,
    server_process: server.process,
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
