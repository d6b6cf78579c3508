// The header now shows the SSE stream's state (frame/liveConnection.ts); this per-query
// status is kept for the dashboard's own use.
export type LiveStatus = "connecting" | "live" | "offline";

interface QueryState {
  error: string | undefined;
  updatedAt: number | undefined;
}

/** Offline as soon as any query fails; live once every query has answered. */
export function liveStatus(queries: readonly QueryState[]): LiveStatus {
  if (queries.some((query) => query.error !== undefined)) return "offline";
  return queries.every((query) => query.updatedAt !== undefined) ? "live" : "connecting";
}

/** The oldest of the queries' last refreshes: the page is at least that fresh. */
export function lastUpdatedAt(queries: readonly QueryState[]): number | undefined {
  const times = queries.map((query) => query.updatedAt);
  return times.every((time) => time !== undefined) ? Math.min(...(times as number[])) : undefined;
}
