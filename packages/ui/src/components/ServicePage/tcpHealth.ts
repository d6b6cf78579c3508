// TCP health of a service: the connection intervals its processes reported
// (retransmits, resets, failed connects, smoothed RTT). The connections API
// filters by process name (comm), which many services can share (every Node
// service is "node"), so the service's own pids, read from its requests, pick
// its rows.
import type { ConnectionInterval, RequestEnd } from "./parseServiceApi";

export interface ServiceProcesses {
  /** Process names (comm) to ask the connections API for. */
  names: string[];
  pids: Set<number>;
}

/** True when this end of a request is the service the page is about (the collector's naming rules 1–3). */
export function isEnd(end: RequestEnd, service: string): boolean {
  return (
    end.service === service ||
    end.workload === service ||
    end.processName === service ||
    `${end.processName}:${end.port}` === service
  );
}

export function processesOf(
  service: string,
  requests: readonly { client: RequestEnd; server: RequestEnd }[],
) {
  const names = new Set<string>();
  const pids = new Set<number>();
  for (const request of requests) {
    for (const end of [request.server, request.client]) {
      if (!isEnd(end, service) || end.pid <= 0 || end.processName === "") continue;
      names.add(end.processName);
      pids.add(end.pid);
    }
  }
  return { names: [...names].sort(), pids } satisfies ServiceProcesses;
}

export interface TcpHealth {
  intervals: number;
  connections: number;
  retransmits: number;
  resetsSent: number;
  resetsReceived: number;
  failedConnects: number;
  /** Mean and highest smoothed RTT over intervals that measured one; undefined when none did. */
  meanRttMs: number | undefined;
  maxRttMs: number | undefined;
  /** Connections with trouble, most retransmits first (at most 10). */
  worst: { connectionId: string; remote: string; retransmits: number; resets: number }[];
}

export function tcpHealth(rows: readonly ConnectionInterval[], pids: ReadonlySet<number>): TcpHealth {
  const mine = rows.filter((row) => pids.has(row.pid));
  const byConnection = new Map<string, { remote: string; retransmits: number; resets: number }>();
  let rttSum = 0;
  let rttCount = 0;
  let maxRttUs: number | undefined;
  const health: TcpHealth = {
    intervals: mine.length,
    connections: 0,
    retransmits: 0,
    resetsSent: 0,
    resetsReceived: 0,
    failedConnects: 0,
    meanRttMs: undefined,
    maxRttMs: undefined,
    worst: [],
  };
  for (const row of mine) {
    health.retransmits += row.retransmits;
    health.resetsSent += row.resetsSent;
    health.resetsReceived += row.resetsReceived;
    if (row.connectFailed) health.failedConnects++;
    if (row.srttUs > 0) {
      rttSum += row.srttUs;
      rttCount++;
      maxRttUs = Math.max(maxRttUs ?? 0, row.srttUs);
    }
    const connection = byConnection.get(row.connectionId) ?? {
      remote: row.remote,
      retransmits: 0,
      resets: 0,
    };
    connection.retransmits += row.retransmits;
    connection.resets += row.resetsSent + row.resetsReceived;
    byConnection.set(row.connectionId, connection);
  }
  health.connections = byConnection.size;
  if (rttCount > 0) health.meanRttMs = rttSum / rttCount / 1000;
  if (maxRttUs !== undefined) health.maxRttMs = maxRttUs / 1000;
  health.worst = [...byConnection.entries()]
    .filter(([, c]) => c.retransmits > 0 || c.resets > 0)
    .map(([connectionId, c]) => ({ connectionId, ...c }))
    .sort((a, b) => b.retransmits - a.retransmits || b.resets - a.resets)
    .slice(0, 10);
  return health;
}
