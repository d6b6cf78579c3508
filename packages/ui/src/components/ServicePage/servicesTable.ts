// The services list's rows: each service's RED over the range. Rate and errors
// are the map node's counts (exact, from the metric series); latency is the
// slowest of the service's endpoints' p99 — the API has no service-wide
// percentile per service in one call, and a max of p99s is an honest bound
// where an average of them would be a number no request had.
import type { EndpointSummary, ServiceSummary } from "./parseServiceApi";

export type EndpointsByService = ReadonlyMap<string, readonly EndpointSummary[]>;

export function endpointsByService(endpoints: readonly EndpointSummary[]): EndpointsByService {
  const index = new Map<string, EndpointSummary[]>();
  for (const endpoint of endpoints) {
    const own = index.get(endpoint.service);
    if (own) own.push(endpoint);
    else index.set(endpoint.service, [endpoint]);
  }
  return index;
}

export interface ServiceRow {
  name: string;
  namespace: string | undefined;
  requestCount: number;
  ratePerSecond: number;
  errorCount: number;
  errorRatio: number | undefined;
  worstEndpointP99Ms: number | undefined;
  endpointCount: number;
}

export type ServiceSortKey = "name" | "namespace" | "requests" | "rate" | "errorRatio" | "p99";
export const SERVICE_TEXT_KEYS: readonly ServiceSortKey[] = ["name", "namespace"];

export function serviceRows(
  services: readonly ServiceSummary[],
  endpoints: EndpointsByService,
  range: { fromMs: number; toMs: number },
): ServiceRow[] {
  const seconds = Math.max(1, (range.toMs - range.fromMs) / 1000);
  return services.map((service) => {
    const own = endpoints.get(service.name) ?? [];
    const served = own.filter((endpoint) => endpoint.requestCount > 0);
    return {
      name: service.name,
      namespace: service.namespace,
      requestCount: service.requestCount,
      ratePerSecond: service.requestCount / seconds,
      errorCount: service.errorCount,
      errorRatio: service.requestCount > 0 ? service.errorCount / service.requestCount : undefined,
      worstEndpointP99Ms:
        served.length > 0 ? Math.max(...served.map((endpoint) => endpoint.p99Ms)) : undefined,
      endpointCount: own.length,
    };
  });
}

export function serviceSortValue(row: ServiceRow, key: ServiceSortKey): number | string | undefined {
  switch (key) {
    case "name":
      return row.name;
    case "namespace":
      return row.namespace;
    case "requests":
      return row.requestCount;
    case "rate":
      return row.ratePerSecond;
    case "errorRatio":
      return row.errorRatio;
    case "p99":
      return row.worstEndpointP99Ms;
  }
}
