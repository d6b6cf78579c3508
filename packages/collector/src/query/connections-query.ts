// TCP health rows (the `connections` table), newest first: one row per
// connection and agent reporting interval. Filters narrow to one process,
// one remote address, or only the intervals with trouble in them.
import type { Storage } from "../storage/storage.js";
import { TIME_RANGE_CONDITION, type TimeRange, timeRangeParams } from "./time-range.js";

export interface ConnectionsFilter {
  range: TimeRange;
  process?: string;
  remoteIp?: string;
  /** Only intervals with a retransmit, a reset or a failed connect. */
  problems?: boolean;
  limit: number;
}

export interface ConnectionView {
  /** End of the interval, epoch ms. */
  time: number;
  agentId: string;
  connectionId: string;
  intervalMs: number;
  role: string;
  pid: number;
  process: string;
  local: { ip: string; port: number };
  remote: { ip: string; port: number };
  bytesSent: number;
  bytesReceived: number;
  retransmits: number;
  resetsSent: number;
  resetsReceived: number;
  stateChanges: number;
  connectFailed: boolean;
  connectMs: number;
  srttUs: number;
  state: string;
  opened: boolean;
  closed: boolean;
}

interface ConnectionRowOut {
  time_ms: string | number;
  agent_id: string;
  connection_id: string;
  interval_ns: string | number;
  role: string;
  pid: number;
  process: string;
  local_ip: string;
  local_port: number;
  remote_ip: string;
  remote_port: number;
  bytes_sent: string | number;
  bytes_received: string | number;
  retransmits: number;
  resets_sent: number;
  resets_received: number;
  state_changes: number;
  connect_failed: boolean | number;
  connect_duration_ns: string | number;
  srtt_us: number;
  state: string;
  opened: boolean | number;
  closed: boolean | number;
}

export async function queryConnections(
  storage: Storage,
  filter: ConnectionsFilter,
): Promise<ConnectionView[]> {
  const conditions = [TIME_RANGE_CONDITION];
  const params: Record<string, string | number> = { ...timeRangeParams(filter.range), limit: filter.limit };
  if (filter.process) {
    conditions.push("process = {process:String}");
    params.process = filter.process;
  }
  if (filter.remoteIp) {
    conditions.push("remote_ip = {remote_ip:String}");
    params.remote_ip = filter.remoteIp;
  }
  if (filter.problems)
    conditions.push("(retransmits > 0 OR resets_sent > 0 OR resets_received > 0 OR connect_failed)");
  const rows = await storage.select<ConnectionRowOut>(
    `SELECT toUnixTimestamp64Milli(time) AS time_ms, agent_id, toString(connection_id) AS connection_id, interval_ns,
            role, pid, process, local_ip, local_port, remote_ip, remote_port, bytes_sent, bytes_received,
            retransmits, resets_sent, resets_received, state_changes, connect_failed, connect_duration_ns,
            srtt_us, state, opened, closed
     FROM connections
     WHERE ${conditions.join(" AND ")}
     ORDER BY time DESC, connection_id
     LIMIT {limit:UInt32}`,
    params,
  );
  return rows.map((row) => ({
    time: Number(row.time_ms),
    agentId: row.agent_id,
    connectionId: row.connection_id,
    intervalMs: Number(row.interval_ns) / 1e6,
    role: row.role,
    pid: row.pid,
    process: row.process,
    local: { ip: row.local_ip, port: row.local_port },
    remote: { ip: row.remote_ip, port: row.remote_port },
    bytesSent: Number(row.bytes_sent),
    bytesReceived: Number(row.bytes_received),
    retransmits: row.retransmits,
    resetsSent: row.resets_sent,
    resetsReceived: row.resets_received,
    stateChanges: row.state_changes,
    connectFailed: Boolean(row.connect_failed),
    connectMs: Number(row.connect_duration_ns) / 1e6,
    srttUs: row.srtt_us,
    state: row.state,
    opened: Boolean(row.opened),
    closed: Boolean(row.closed),
  }));
}
