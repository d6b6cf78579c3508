// Shared pieces of the roll-up queries: the latency levels the states were
// built with, and each side's figures. Where the rows come from for a range
// is rollup-source.ts.
/** The quantile levels every roll-up's t-digest state was built with (migration 0004). */
export const ROLLUP_QUANTILES = "0.5, 0.9, 0.99";

export function nanosToMillis(nanos: number | string | null | undefined): number {
  const value = Number(nanos);
  if (nanos === null || nanos === undefined || !Number.isFinite(value)) return 0;
  return Math.round(value / 1_000) / 1_000;
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
    `quantilesTDigestMergeIf(${ROLLUP_QUANTILES})(latency, ${when}) AS ${side}_quantiles`,
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
