// A latency heatmap (time × duration) from the metric series' histograms:
// exact counts of every request, not of the kept records. The per-minute
// roll-ups hold each scope's latency as exponential buckets over ns
// (LATENCY_SCALE); each is folded into a duration row of the heatmap, rows
// doubling in width from 62.5 µs to 65 s (base 2, as latency heatmaps draw).
// Errors are per column: the histograms are not split by outcome.
//
// Which observation counts is RED's rule (red-query.ts): a service's or an
// endpoint's own server side when there is any, an edge's client side; with
// no scope, each edge's client side in a bucket when it has one, else its
// server side, so a call seen at both ends is counted once.
import { bucketValue, LATENCY_SCALE } from "@periscope/proto";
import type { Storage } from "../storage/storage.js";
import { type RedScope, scopeSql } from "./red-query.js";
import { bucketStarts, chooseStep } from "./red-step.js";
import type { ObservedSide } from "./rollup-range.js";
import { rollupSource } from "./rollup-source.js";
import type { TimeRange } from "./time-range.js";

/** Rows: [2^r ms, 2^(r+1) ms) for r in FIRST_ROW..LAST_ROW; faster and slower ones join the ends. */
const FIRST_ROW = -4;
const LAST_ROW = 15;

export interface HeatmapRow {
  /** Lower bound of the row, ms (the first row also holds everything faster). */
  fromMs: number;
  /** Upper bound, ms (the last row also holds everything slower). */
  toMs: number;
}

export interface HeatmapColumn {
  time: string;
  requests: number;
  errors: number;
  /** Requests per duration row, in the order of `rows`. */
  counts: number[];
}

export interface LatencyHeatmap {
  stepSeconds: number;
  observedFrom: ObservedSide | "edges";
  rows: HeatmapRow[];
  columns: HeatmapColumn[];
}

export const HEATMAP_ROWS: HeatmapRow[] = Array.from({ length: LAST_ROW - FIRST_ROW + 1 }, (_, i) => ({
  fromMs: 2 ** (FIRST_ROW + i),
  toMs: 2 ** (FIRST_ROW + i + 1),
}));

/**
 * The heatmap row of a histogram bucket, by the value that stands for it (a
 * bucket is 2.2 % wide; ms rows do not fall on its edges, so a bucket that
 * straddles two rows goes where its middle is).
 */
export function rowOfBucket(bucket: number): number {
  const row = Math.floor(Math.log2(bucketValue(bucket, LATENCY_SCALE) / 1e6));
  return Math.min(LAST_ROW, Math.max(FIRST_ROW, row)) - FIRST_ROW;
}

interface SideRow {
  bucket_ms: string;
  requests: string;
  errors: string;
  zero: string;
  latency: [number[], string[]];
}

function fold(column: HeatmapColumn, row: SideRow): void {
  column.requests += Number(row.requests);
  column.errors += Number(row.errors);
  column.counts[0] = (column.counts[0] ?? 0) + Number(row.zero);
  const [buckets, counts] = row.latency;
  buckets.forEach((bucket, i) => {
    const at = rowOfBucket(bucket);
    column.counts[at] = (column.counts[at] ?? 0) + Number(counts[i] ?? 0);
  });
}

export async function queryLatencyHeatmap(
  storage: Storage,
  scope: RedScope | undefined,
  range: TimeRange,
  options: { stepSeconds?: number } = {},
): Promise<LatencyHeatmap> {
  const stepSeconds = chooseStep(range, options.stepSeconds);
  const bucketSql = "toUnixTimestamp(toStartOfInterval(minute, toIntervalSecond({step:UInt32}))) * 1000";
  const figures =
    "sum(requests) AS requests, sum(errors) AS errors, sum(latency_zero_count) AS zero, sumMap(latency) AS latency";
  let rows: SideRow[];
  let observedFrom: LatencyHeatmap["observedFrom"];
  if (scope === undefined) {
    const source = rollupSource("edges", range, [], stepSeconds % 3600 === 0);
    // Per edge and bucket: its client side when it has one, else its server side.
    rows = await storage.select<SideRow>(
      `SELECT bucket_ms, requests, errors, zero, latency FROM (
         SELECT ${bucketSql} AS bucket_ms, client_name, server_name, side, ${figures},
                max(side = 'client') OVER (PARTITION BY bucket_ms, client_name, server_name) AS has_client
         FROM ${source.sql}
         GROUP BY bucket_ms, client_name, server_name, side
       ) WHERE side = 'client' OR NOT has_client`,
      { ...source.params, step: stepSeconds },
    );
    observedFrom = "edges";
  } else {
    const { kind, conditions, params, preferred } = scopeSql(scope);
    const source = rollupSource(kind, range, conditions, stepSeconds % 3600 === 0);
    const bySide = await storage.select<SideRow & { side: ObservedSide }>(
      `SELECT ${bucketSql} AS bucket_ms, side, ${figures} FROM ${source.sql} GROUP BY bucket_ms, side`,
      { ...source.params, ...params, step: stepSeconds },
    );
    const other: ObservedSide = preferred === "client" ? "server" : "client";
    observedFrom = bySide.some((row) => row.side === preferred && Number(row.requests) > 0)
      ? preferred
      : other;
    rows = bySide.filter((row) => row.side === observedFrom);
  }
  const columns = new Map<number, HeatmapColumn>(
    bucketStarts(range, stepSeconds).map((start) => [
      start,
      { time: new Date(start).toISOString(), requests: 0, errors: 0, counts: HEATMAP_ROWS.map(() => 0) },
    ]),
  );
  for (const row of rows) {
    const column = columns.get(Number(row.bucket_ms));
    if (column !== undefined) fold(column, row);
  }
  return { stepSeconds, observedFrom, rows: HEATMAP_ROWS, columns: [...columns.values()] };
}
