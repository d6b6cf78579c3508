// The collector calls behind the services list and a service's page. Relative:
// the UI origin proxies /api/v1/* to the collector. Every call carries the
// frame's absolute instants, so all panels of one render describe one range.

export interface ApiRange {
  from: Date;
  to: Date;
}

function query(range: ApiRange, extra: Record<string, string | undefined>): string {
  const params = new URLSearchParams({ from: range.from.toISOString(), to: range.to.toISOString() });
  for (const [key, value] of Object.entries(extra))
    if (value !== undefined && value !== "") params.set(key, value);
  return params.toString();
}

export const servicesUrl = (range: ApiRange, namespace?: string) =>
  `/api/v1/services?${query(range, { namespace })}`;

/** The service's own RED series: its server side when it serves, else what its callers saw. */
export const redUrl = (range: ApiRange, service: string) => `/api/v1/red?${query(range, { service })}`;

export const endpointsUrl = (range: ApiRange, service: string) =>
  `/api/v1/endpoints?${query(range, { service, limit: "200" })}`;

/** All edges of the range, namespace-filtered when the frame has one; also the services list's latencies. */
export const mapUrl = (range: ApiRange, namespace?: string) => `/api/v1/map?${query(range, { namespace })}`;

/** A few recent requests of the service: they name its processes (pid and comm) for the TCP panel. */
export const serviceRequestsUrl = (range: ApiRange, service: string) =>
  `/api/v1/requests?${query(range, { service, limit: "100" })}`;

/** TCP intervals of one process name (comm), newest first; the caller keeps the service's pids. */
export const CONNECTIONS_LIMIT = 1000;
export const connectionsUrl = (range: ApiRange, processName: string) =>
  `/api/v1/connections?${query(range, { process: processName, limit: String(CONNECTIONS_LIMIT) })}`;

/** Page and link addresses. */
export const servicePagePath = (name: string) => `/services/${encodeURIComponent(name)}`;
export const flamePath = (name: string) => `/flame?${new URLSearchParams({ service: name })}`;
export const requestsPath = (name: string) => `/requests?${new URLSearchParams({ service: name })}`;

/** Every endpoint of the range (the API's maximum page), for the services list's latency column. */
export const allEndpointsUrl = (range: ApiRange) => `/api/v1/endpoints?${query(range, { limit: "1000" })}`;

/**
 * The service name in a /services/[name] segment. Next hands dynamic segments
 * over still percent-encoded in some versions, and names carry "/" (shop/frontend),
 * which servicePagePath encodes; a segment that is not valid encoding is taken as is.
 */
export function serviceNameFromSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The service's CPU samples as a nested set; 2,000 frames is plenty for an embedded panel. */
export const flameGraphUrl = (range: ApiRange, service: string) =>
  `/api/v1/flamegraph?${query(range, { service, maxNodes: "2000" })}`;

/**
 * The range a fetched URL asked for. While a new range loads, the page still
 * shows the last data; rates and shares are computed over the range that data
 * covers, never over the new one (a zoom would otherwise divide old counts by a
 * new, shorter span for a moment).
 */
export function rangeOfUrl(url: string): { fromMs: number; toMs: number } | undefined {
  const params = new URL(url, "http://ui.invalid").searchParams;
  const fromMs = Date.parse(params.get("from") ?? "");
  const toMs = Date.parse(params.get("to") ?? "");
  return Number.isNaN(fromMs) || Number.isNaN(toMs) || toMs <= fromMs ? undefined : { fromMs, toMs };
}
