// RED (rate, errors, duration) time series for a service, an edge or an
// endpoint, from the per-minute roll-ups.
//
// Which observation counts: for an edge, the client side when it has any in
// the range (the map's rule, so an edge's series sums to its map figures);
// for a service or an endpoint, the server side — the service's own view of
// what it served — when there is any, else what its callers saw.
import type { QueryParams, Storage } from "../storage/storage.js";
import { bucketStarts, chooseStep } from "./red-step.js";
import { type ObservedSide, sideAggregatesSql, sideFigures } from "./rollup-range.js";
import { rollupSource } from "./rollup-source.js";
import type { TimeRange } from "./time-range.js";

export type RedScope =
  | { kind: "service"; service: string }
  | { kind: "edge"; client: string; server: string }
  | { kind: "endpoint"; service: string; operation: string; target: string };

export interface RedPoint {
  /** Bucket start, ISO-8601. */
  time: string;
  requests: number;
  requestsPerSecond: number;
  errors: number;
  errorRatio: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

export interface RedSeries {
  stepSeconds: number;
  observedFrom: ObservedSide;
  points: RedPoint[];
}

export interface ScopeSql {
  kind: "services" | "edges" | "endpoints";
  conditions: string[];
  params: QueryParams;
  preferred: ObservedSide;
}

export function scopeSql(scope: RedScope): ScopeSql {
  switch (scope.kind) {
    case "service":
      return {
        kind: "services",
        conditions: ["service = {service:String}"],
        params: { service: scope.service },
        preferred: "server",
      };
    case "edge":
      return {
        kind: "edges",
        conditions: ["client_name = {client:String}", "server_name = {server:String}"],
        params: { client: scope.client, server: scope.server },
        preferred: "client",
      };
    case "endpoint":
      return {
        kind: "endpoints",
        conditions: [
          "service = {service:String}",
          "operation = {operation:String}",
          "target = {target:String}",
        ],
        params: { service: scope.service, operation: scope.operation, target: scope.target },
        preferred: "server",
      };
  }
}

export async function queryRed(
  storage: Storage,
  scope: RedScope,
  range: TimeRange,
  options: { protocol?: string; stepSeconds?: number } = {},
): Promise<RedSeries> {
  const stepSeconds = chooseStep(range, options.stepSeconds);
  const { kind, conditions, params, preferred } = scopeSql(scope);
  const where = [...conditions];
  if (options.protocol !== undefined) where.push("protocol = {protocol:String}");
  // Hourly rows can only fill buckets that are whole hours.
  const source = rollupSource(kind, range, where, stepSeconds % 3600 === 0);
  const sql = `
SELECT
  toUnixTimestamp(toStartOfInterval(minute, toIntervalSecond({step:UInt32}))) * 1000 AS bucket_ms,
  ${sideAggregatesSql("client")},
  ${sideAggregatesSql("server")}
FROM ${source.sql}
GROUP BY bucket_ms
ORDER BY bucket_ms`;
  const rows = await storage.select<Record<string, unknown> & { bucket_ms: string }>(sql, {
    ...source.params,
    ...params,
    ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
    step: stepSeconds,
  });
  const other: ObservedSide = preferred === "client" ? "server" : "client";
  const preferredSeen = rows.some((row) => sideFigures(row, preferred).requests > 0);
  const observedFrom = preferredSeen || rows.length === 0 ? preferred : other;
  const byBucket = new Map(rows.map((row) => [Number(row.bucket_ms), row]));
  const points = bucketStarts(range, stepSeconds).map((start): RedPoint => {
    const row = byBucket.get(start);
    const f = row === undefined ? undefined : sideFigures(row, observedFrom);
    const requests = f?.requests ?? 0;
    const errors = f?.errors ?? 0;
    return {
      time: new Date(start).toISOString(),
      requests,
      requestsPerSecond: Math.round((requests / stepSeconds) * 1e6) / 1e6,
      errors,
      errorRatio: requests > 0 ? Math.round((errors / requests) * 1e6) / 1e6 : 0,
      meanMs: f?.meanMs ?? 0,
      p50Ms: f?.p50Ms ?? 0,
      p90Ms: f?.p90Ms ?? 0,
      p99Ms: f?.p99Ms ?? 0,
    };
  });
  return { stepSeconds, observedFrom, points };
}
