// ConnectionInterval -> proto ConnectionStats.
import { type ConnectionStats, ConnectionStatsSchema, create, EndpointSchema, Side } from "@periscope/proto";
import type { ConnectionInterval } from "./interval-tracker.js";
import { TcpRole } from "./layout.js";

const ROLE_TO_SIDE: Record<number, Side> = {
  [TcpRole.Client]: Side.CLIENT,
  [TcpRole.Server]: Side.SERVER,
};

export function toProtoConnection(
  interval: ConnectionInterval,
  endUnixNano: bigint,
  intervalNano: bigint,
): ConnectionStats {
  const s = interval.snapshot;
  return create(ConnectionStatsSchema, {
    timeUnixNano: endUnixNano,
    intervalNano,
    role: ROLE_TO_SIDE[s.role] ?? Side.UNSPECIFIED,
    local: create(EndpointSchema, { ip: s.localIp, port: s.localPort, pid: s.tgid, processName: s.comm }),
    remote: create(EndpointSchema, { ip: s.remoteIp, port: s.remotePort }),
    bytesSent: interval.bytesSent,
    bytesReceived: interval.bytesReceived,
    retransmits: interval.retransmits,
    resetsSent: interval.resetsSent,
    resetsReceived: interval.resetsReceived,
    stateChanges: interval.stateChanges,
    connectFailed: interval.connectFailed,
    connectDurationNano: interval.connectNs,
    srttUs: s.srttUs,
    state: s.state,
    opened: interval.opened,
    closed: interval.closed,
    connectionId: interval.connectionId,
  });
}
