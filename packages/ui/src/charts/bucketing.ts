// Aligning sparse samples onto a regular bucket grid, so a series from any API
// (RED points, connection intervals, counts by minute) draws with honest gaps.
import type { ChartPoint } from "./series";

/** Bucket starts covering [fromMs, toMs), aligned to multiples of stepMs (as the collector's red-step does). */
export function bucketGrid(fromMs: number, toMs: number, stepMs: number): number[] {
  if (!(stepMs > 0) || !(toMs > fromMs)) return [];
  const starts: number[] = [];
  for (let t = Math.floor(fromMs / stepMs) * stepMs; t < toMs; t += stepMs) starts.push(t);
  return starts;
}

/**
 * Places samples into the grid's buckets, combining several in one bucket with
 * `combine` (sum by default); a bucket with no sample is a gap (null), or
 * `emptyValue` when the caller says an empty bucket means a real zero (a rate).
 */
export function alignToBuckets(
  samples: readonly { t: number; v: number }[],
  fromMs: number,
  toMs: number,
  stepMs: number,
  options: { combine?: (a: number, b: number) => number; emptyValue?: number | null } = {},
): ChartPoint[] {
  const combine = options.combine ?? ((a, b) => a + b);
  const emptyValue = options.emptyValue === undefined ? null : options.emptyValue;
  const grid = bucketGrid(fromMs, toMs, stepMs);
  if (grid.length === 0) return [];
  const first = grid[0] as number;
  const values: (number | null)[] = grid.map(() => null);
  for (const sample of samples) {
    if (!Number.isFinite(sample.v)) continue;
    const index = Math.floor((sample.t - first) / stepMs);
    if (index < 0 || index >= grid.length) continue;
    const previous = values[index];
    values[index] = previous === null || previous === undefined ? sample.v : combine(previous, sample.v);
  }
  return grid.map((t, index) => ({ t, v: values[index] ?? emptyValue }));
}

/**
 * The last bucket is still filling while the range ends at "now": its rate reads
 * low until the minute closes. The chart marks it rather than hiding it.
 */
export function isPartialBucket(bucketStartMs: number, stepMs: number, nowMs: number): boolean {
  return bucketStartMs + stepMs > nowMs;
}
