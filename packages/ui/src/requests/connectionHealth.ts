// TCP health of the connection one request travelled on: the /api/v1/connections
// intervals of the observing process whose local and remote ends are the request's.
import type { ConnectionInterval, RequestView } from "./requestTypes";

export interface ConnectionEnds {
  /** The observing process's name (comm), the connections API's `process` filter. */
  process: string;
  local: { ip: string; port: number };
  remote: { ip: string; port: number };
}

/** The request's connection as its observing side sees it: local is the side that recorded it. */
export function connectionEndsOf(request: RequestView): ConnectionEnds {
  const mine = request.side === "client" ? request.client : request.server;
  const theirs = request.side === "client" ? request.server : request.client;
  return {
    process: mine.processName,
    local: { ip: mine.ip, port: mine.port },
    remote: { ip: theirs.ip, port: theirs.port },
  };
}

/** Query for GET /api/v1/connections: the observing process, a minute either side of the request. */
export function connectionsApiParams(request: RequestView, windowMs = 60_000): URLSearchParams {
  const ends = connectionEndsOf(request);
  const at = Date.parse(request.time);
  const out = new URLSearchParams({ from: String(at - windowMs), to: String(at + windowMs), limit: "1000" });
  if (ends.process !== "") out.set("process", ends.process.slice(0, 64));
  if (ends.remote.ip !== "") out.set("remote_ip", ends.remote.ip);
  return out;
}

export interface ConnectionHealth {
  intervals: number;
  retransmits: number;
  resetsSent: number;
  resetsReceived: number;
  connectFailed: boolean;
  /** Smoothed RTT of the latest interval that measured one, µs; undefined if none did. */
  srttUs: number | undefined;
  bytesSent: number;
  bytesReceived: number;
  state: string;
  /** "healthy" unless retransmits, resets or a failed connect were seen. */
  verdict: "healthy" | "degraded";
}

function sameEnd(a: { ip: string; port: number }, b: { ip: string; port: number }): boolean {
  // A port of 0 or an empty ip means the record did not know it: match on what is known.
  return (a.port === 0 || b.port === 0 || a.port === b.port) && (a.ip === "" || b.ip === "" || a.ip === b.ip);
}

/** Sums the intervals of the request's own connection; undefined when none matched. */
export function connectionHealthOf(
  request: RequestView,
  intervals: readonly ConnectionInterval[],
): ConnectionHealth | undefined {
  const ends = connectionEndsOf(request);
  if (ends.local.port === 0 && ends.remote.port === 0) return undefined;
  const mine = intervals
    .filter((i) => sameEnd(i.local, ends.local) && sameEnd(i.remote, ends.remote))
    .sort((a, b) => a.time - b.time);
  if (mine.length === 0) return undefined;
  const sum = (pick: (i: ConnectionInterval) => number) => mine.reduce((total, i) => total + pick(i), 0);
  const measured = mine.filter((i) => i.srttUs > 0);
  const health = {
    intervals: mine.length,
    retransmits: sum((i) => i.retransmits),
    resetsSent: sum((i) => i.resetsSent),
    resetsReceived: sum((i) => i.resetsReceived),
    connectFailed: mine.some((i) => i.connectFailed),
    srttUs: measured.length > 0 ? (measured[measured.length - 1] as ConnectionInterval).srttUs : undefined,
    bytesSent: sum((i) => i.bytesSent),
    bytesReceived: sum((i) => i.bytesReceived),
    state: (mine[mine.length - 1] as ConnectionInterval).state,
  };
  const degraded =
    health.retransmits > 0 || health.resetsSent > 0 || health.resetsReceived > 0 || health.connectFailed;
  return { ...health, verdict: degraded ? "degraded" : "healthy" };
}
