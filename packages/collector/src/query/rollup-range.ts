// Shared pieces of the roll-up queries: each side's figures over a range, the
// latency quantiles of its merged histogram among them. Where the rows come
// from for a range is rollup-source.ts.
//
// Quantiles are computed in SQL, not in JS: the endpoint list sorts by p99
// before its LIMIT, so the engine needs them anyway, and one expression then
// serves every reader. It is the contract's quantileOfBuckets
// (packages/proto exponential-histogram.ts) written over a sumMap tuple —
// nearest rank ceil(q·total), reported as the bucket's relative midpoint —
// and a test holds the two equal.
import { LATENCY_SCALE } from "@periscope/proto";

/** The quantile levels every roll-up query reads: p50, p90, p99. */
export const ROLLUP_QUANTILES = [0.5, 0.9, 0.99] as const;

/** 2^-scale and base = 2^(2^-scale) of the stored histograms (migration 0013 stores LATENCY_SCALE). */
const STEP_SQL = `pow(2, ${-LATENCY_SCALE})`;
const BASE_SQL = `pow(2, ${STEP_SQL})`;

export function nanosToMillis(nanos: number | string | null | undefined): number {
  const value = Number(nanos);
  if (nanos === null || nanos === undefined || !Number.isFinite(value)) return 0;
  return Math.round(value / 1_000) / 1_000;
}

/**
 * SQL for an array of ROLLUP_QUANTILES (ns) from a histogram: `buckets` a
 * (sorted indexes, counts) tuple as sumMap returns it, `zero` the zero count.
 */
export function histogramQuantilesSql(buckets: string, zero: string): string {
  const counts = `tupleElement(${buckets}, 2)`;
  const total = `(${zero} + arraySum(${counts}))`;
  const rank = `greatest(1, ceil(q * ${total}))`;
  const position = `arrayFirstIndex(seen -> seen >= ${rank} - ${zero}, arrayCumSum(${counts}))`;
  const index = `tupleElement(${buckets}, 1)[${position}]`;
  // bucketValue: 2·upper/(1+base) with upper = 2^((index+1)·2^-scale).
  const midpoint = `2 * pow(2, (${index} + 1) * ${STEP_SQL}) / (1 + ${BASE_SQL})`;
  return `arrayMap(q -> if(${total} = 0 OR ${zero} >= ${rank}, 0, ${midpoint}), [${ROLLUP_QUANTILES.join(", ")}])`;
}

/** Per side of a call: which observation a figure came from. */
export type ObservedSide = "client" | "server";

/** SQL computing one side's figures from a roll-up, as columns prefixed `<side>_`. */
export function sideAggregatesSql(side: ObservedSide): string {
  const when = `side = '${side}'`;
  return [
    `sumIf(requests, ${when}) AS ${side}_requests`,
    `sumIf(errors, ${when}) AS ${side}_errors`,
    `sumIf(duration_sum_ns, ${when}) AS ${side}_duration_sum_ns`,
    `sumIf(latency_zero_count, ${when}) AS ${side}_latency_zero`,
    `sumMapIf(latency, ${when}) AS ${side}_latency`,
    `${histogramQuantilesSql(`${side}_latency`, `${side}_latency_zero`)} AS ${side}_quantiles`,
  ].join(",\n  ");
}

export interface SideFigures {
  requests: number;
  errors: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

/** Reads the `<side>_*` columns of sideAggregatesSql. */
export function sideFigures(row: Record<string, unknown>, side: ObservedSide): SideFigures {
  const requests = Number(row[`${side}_requests`] ?? 0);
  const quantiles = (row[`${side}_quantiles`] ?? []) as (number | null)[];
  const durationSum = Number(row[`${side}_duration_sum_ns`] ?? 0);
  return {
    requests,
    errors: Number(row[`${side}_errors`] ?? 0),
    meanMs: requests > 0 ? nanosToMillis(durationSum / requests) : 0,
    p50Ms: requests > 0 ? nanosToMillis(quantiles[0]) : 0,
    p90Ms: requests > 0 ? nanosToMillis(quantiles[1]) : 0,
    p99Ms: requests > 0 ? nanosToMillis(quantiles[2]) : 0,
  };
}
