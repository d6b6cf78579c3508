// The endpoint table: per (service, protocol, operation, target) RED figures
// over a range, from the endpoint roll-up of the agents' metric series. Targets
// arrive templated by the agent (ids as {id}). Each endpoint counts its server
// side when any was observed, else what its callers saw.
import type { QueryParams, Storage } from "../storage/storage.js";
import { type ObservedSide, sideAggregatesSql, sideFigures } from "./rollup-range.js";
import { rollupSource } from "./rollup-source.js";
import type { TimeRange } from "./time-range.js";

export const ENDPOINT_SORTS = ["requests", "errors", "p99"] as const;
export type EndpointSort = (typeof ENDPOINT_SORTS)[number];

export interface EndpointsFilter {
  range: TimeRange;
  service?: string;
  protocol?: string;
  sort: EndpointSort;
  limit: number;
}

export interface EndpointSummary {
  service: string;
  protocol: string;
  operation: string;
  target: string;
  requestCount: number;
  requestsPerSecond: number;
  errorCount: number;
  errorRatio: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  observedFrom: ObservedSide;
}

interface EndpointRow extends Record<string, unknown> {
  service: string;
  protocol: string;
  operation: string;
  target: string;
}

// Sorting happens in SQL so LIMIT keeps the right rows; the expressions use the
// same side rule as the figures (server side when present).
const SORT_SQL: Record<EndpointSort, string> = {
  requests: "if(server_requests > 0, server_requests, client_requests) DESC",
  errors: "if(server_requests > 0, server_errors, client_errors) DESC",
  p99: "if(server_requests > 0, server_quantiles[3], client_quantiles[3]) DESC",
};

export async function queryEndpoints(storage: Storage, filter: EndpointsFilter): Promise<EndpointSummary[]> {
  const conditions: string[] = [];
  const params: QueryParams = { limit: filter.limit };
  if (filter.service !== undefined) {
    conditions.push("service = {service:String}");
    params.service = filter.service;
  }
  if (filter.protocol !== undefined) {
    conditions.push("protocol = {protocol:String}");
    params.protocol = filter.protocol;
  }
  const source = rollupSource("endpoints", filter.range, conditions);
  Object.assign(params, source.params);
  const sql = `
SELECT
  service, protocol, operation, target,
  ${sideAggregatesSql("client")},
  ${sideAggregatesSql("server")}
FROM ${source.sql}
GROUP BY service, protocol, operation, target
ORDER BY ${SORT_SQL[filter.sort]}, service, protocol, operation, target
LIMIT {limit:UInt32}`;
  const rows = await storage.select<EndpointRow>(sql, params);
  const seconds = (filter.range.toMs - filter.range.fromMs) / 1000;
  return rows.map((row) => {
    const server = sideFigures(row, "server");
    const observedFrom: ObservedSide = server.requests > 0 ? "server" : "client";
    const f = observedFrom === "server" ? server : sideFigures(row, "client");
    return {
      service: row.service,
      protocol: row.protocol,
      operation: row.operation,
      target: row.target,
      requestCount: f.requests,
      requestsPerSecond: Math.round((f.requests / seconds) * 1e6) / 1e6,
      errorCount: f.errors,
      errorRatio: f.requests > 0 ? Math.round((f.errors / f.requests) * 1e6) / 1e6 : 0,
      meanMs: f.meanMs,
      p50Ms: f.p50Ms,
      p90Ms: f.p90Ms,
      p99Ms: f.p99Ms,
      observedFrom,
    };
  });
}
