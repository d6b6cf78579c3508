// Who calls the service (upstream) and whom it calls (downstream), from the
// map's edges for the same range: the map's counting rule, so these figures
// match the edge labels on the map.
import type { EdgeSummary } from "./parseServiceApi";

export interface PeerRow {
  /** The other end's name. */
  peer: string;
  protocols: string[];
  requestCount: number;
  ratePerSecond: number;
  errorCount: number;
  errorRatio: number | undefined;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

function toPeer(edge: EdgeSummary, peer: string, seconds: number): PeerRow {
  return {
    peer,
    protocols: edge.protocols,
    requestCount: edge.requestCount,
    ratePerSecond: edge.requestCount / seconds,
    errorCount: edge.errorCount,
    errorRatio: edge.requestCount > 0 ? edge.errorCount / edge.requestCount : undefined,
    p50Ms: edge.p50Ms,
    p90Ms: edge.p90Ms,
    p99Ms: edge.p99Ms,
  };
}

/** Busiest first. A self-call (a service calling itself) is listed on both sides. */
export function peersOf(
  service: string,
  edges: readonly EdgeSummary[],
  range: { fromMs: number; toMs: number },
): { upstream: PeerRow[]; downstream: PeerRow[] } {
  const seconds = Math.max(1, (range.toMs - range.fromMs) / 1000);
  const busiest = (a: PeerRow, b: PeerRow) => b.requestCount - a.requestCount || a.peer.localeCompare(b.peer);
  return {
    upstream: edges
      .filter((edge) => edge.target === service)
      .map((edge) => toPeer(edge, edge.source, seconds))
      .sort(busiest),
    downstream: edges
      .filter((edge) => edge.source === service)
      .map((edge) => toPeer(edge, edge.target, seconds))
      .sort(busiest),
  };
}
