// URLs the dashboard polls. Relative, so the browser asks the UI origin, whose route
// handler proxies /api/v1/* to the collector.

export const MAP_WINDOW_MS = 15 * 60 * 1000;
export const RECENT_REQUEST_LIMIT = 50;

export function serviceMapUrl(nowMs: number, windowMs = MAP_WINDOW_MS): string {
  const params = new URLSearchParams({ from: String(nowMs - windowMs), to: String(nowMs) });
  return `/api/v1/map?${params}`;
}

export function recentRequestsUrl(limit = RECENT_REQUEST_LIMIT): string {
  return `/api/v1/requests?${new URLSearchParams({ limit: String(limit) })}`;
}
