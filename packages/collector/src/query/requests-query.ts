// Recent requests, newest first, for the request history view.
import type { QueryParams, Storage } from "../storage/storage.js";
import { CLIENT_NAME_SQL, SERVER_NAME_SQL } from "./service-naming.js";
import { TIME_RANGE_CONDITION, type TimeRange, timeRangeParams } from "./time-range.js";

export interface RequestsFilter {
  range: TimeRange;
  protocol?: string;
  /** Matches the client or the server by its map name (service, ip:port or ip). */
  service?: string;
  /**
   * "one": a call observed by both of its ends is listed once, from the client's
   * side (the same rule the map counts by); "all": every observation.
   */
  observations: "one" | "all";
  limit: number;
}

export interface EndpointView {
  service: string;
  ip: string;
  port: number;
  pid: number;
  processName: string;
}

export interface RequestView {
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
  agentId: string;
}

interface RequestRowOut {
  time_ns: string;
  protocol: string;
  side: "client" | "server";
  client_service: string;
  client_ip: string;
  client_port: number;
  client_pid: number;
  client_process: string;
  server_service: string;
  server_ip: string;
  server_port: number;
  server_pid: number;
  server_process: string;
  operation: string;
  target: string;
  status: number;
  error: boolean;
  duration_ns: string;
  request_bytes: string;
  response_bytes: string;
  trace_id: string;
  agent_id: string;
}

// Both ends of one connection see the same (client ip:port, server ip:port);
// a server-side row on a connection whose client side was also traced is the
// second observation of a call already listed.
const SERVER_SIDE_SEEN_BY_CLIENT_EXCLUDED = `NOT (side = 'server' AND (client_ip, client_port, server_ip, server_port) IN (
  SELECT client_ip, client_port, server_ip, server_port FROM requests WHERE side = 'client' AND ${TIME_RANGE_CONDITION}))`;

function requestsSql(filter: RequestsFilter): string {
  const conditions = [TIME_RANGE_CONDITION];
  if (filter.protocol !== undefined) conditions.push("protocol = {protocol:String}");
  if (filter.service !== undefined) {
    conditions.push(`(${CLIENT_NAME_SQL} = {service:String} OR ${SERVER_NAME_SQL} = {service:String})`);
  }
  if (filter.observations === "one") conditions.push(SERVER_SIDE_SEEN_BY_CLIENT_EXCLUDED);
  return `
SELECT
  toString(toUnixTimestamp64Nano(time)) AS time_ns,
  protocol, side,
  client_service, client_ip, client_port, client_pid, client_process,
  server_service, server_ip, server_port, server_pid, server_process,
  operation, target, status, error, duration_ns, request_bytes, response_bytes, trace_id, agent_id
FROM requests
WHERE ${conditions.join(" AND ")}
ORDER BY time DESC
LIMIT {limit:UInt32}`;
}

function toView(row: RequestRowOut): RequestView {
  const nanos = BigInt(row.time_ns);
  return {
    time: new Date(Number(nanos / 1_000_000n)).toISOString(),
    timeUnixNano: row.time_ns,
    protocol: row.protocol,
    side: row.side,
    client: {
      service: row.client_service,
      ip: row.client_ip,
      port: row.client_port,
      pid: row.client_pid,
      processName: row.client_process,
    },
    server: {
      service: row.server_service,
      ip: row.server_ip,
      port: row.server_port,
      pid: row.server_pid,
      processName: row.server_process,
    },
    operation: row.operation,
    target: row.target,
    status: row.status,
    error: Boolean(row.error),
    durationMs: Number(row.duration_ns) / 1_000_000,
    requestBytes: Number(row.request_bytes),
    responseBytes: Number(row.response_bytes),
    traceId: row.trace_id,
    agentId: row.agent_id,
  };
}

export async function queryRequests(storage: Storage, filter: RequestsFilter): Promise<RequestView[]> {
  const params: QueryParams = { ...timeRangeParams(filter.range), limit: filter.limit };
  if (filter.protocol !== undefined) params.protocol = filter.protocol;
  if (filter.service !== undefined) params.service = filter.service;
  const rows = await storage.select<RequestRowOut>(requestsSql(filter), params);
  return rows.map(toView);
}
