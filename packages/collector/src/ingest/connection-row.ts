// Maps a proto ConnectionStats onto a row of the `connections` table (JSONEachRow).
import { type ConnectionStats, Side } from "@periscope/proto";

export interface ConnectionRow {
  /** End of the interval, ns since the epoch as a decimal string (DateTime64(9) parses it exactly). */
  time: string;
  agent_id: string;
  // UInt64 values travel as strings so values above 2^53 stay exact.
  connection_id: string;
  interval_ns: string;
  role: "client" | "server" | "unknown";
  pid: number;
  process: string;
  local_ip: string;
  local_port: number;
  remote_ip: string;
  remote_port: number;
  bytes_sent: string;
  bytes_received: string;
  retransmits: number;
  resets_sent: number;
  resets_received: number;
  state_changes: number;
  connect_failed: boolean;
  connect_duration_ns: string;
  srtt_us: number;
  state: string;
  opened: boolean;
  closed: boolean;
}

function roleOf(side: Side): ConnectionRow["role"] {
  if (side === Side.CLIENT) return "client";
  if (side === Side.SERVER) return "server";
  return "unknown";
}

export function toConnectionRow(agentId: string, stats: ConnectionStats): ConnectionRow {
  return {
    time: stats.timeUnixNano.toString(),
    agent_id: agentId,
    connection_id: stats.connectionId.toString(),
    interval_ns: stats.intervalNano.toString(),
    role: roleOf(stats.role),
    pid: stats.local?.pid ?? 0,
    process: stats.local?.processName ?? "",
    local_ip: stats.local?.ip ?? "",
    local_port: stats.local?.port ?? 0,
    remote_ip: stats.remote?.ip ?? "",
    remote_port: stats.remote?.port ?? 0,
    bytes_sent: stats.bytesSent.toString(),
    bytes_received: stats.bytesReceived.toString(),
    retransmits: stats.retransmits,
    resets_sent: stats.resetsSent,
    resets_received: stats.resetsReceived,
    state_changes: stats.stateChanges,
    connect_failed: stats.connectFailed,
    connect_duration_ns: stats.connectDurationNano.toString(),
    srtt_us: stats.srttUs,
    state: stats.state,
    opened: stats.opened,
    closed: stats.closed,
  };
}
