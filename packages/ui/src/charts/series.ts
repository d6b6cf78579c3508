// The chart library's data shape: a series is a list of (time, value) points
// where `null` is a gap — "nothing to say here", not zero. A latency or an error
// ratio of a bucket with no requests is undefined, and drawing it as 0 would
// show a service getting fast or healthy exactly when it stopped serving.

export interface ChartPoint {
  /** Bucket start, epoch ms. */
  t: number;
  /** The value, or null for a gap (drawn as a break in the line). */
  v: number | null;
}

export interface ChartSeries {
  key: string;
  label: string;
  /** A CSS colour, normally a `var(--…)` token from globals.css. */
  color: string;
  points: ChartPoint[];
}

/**
 * Runs of consecutive non-null points, each drawn as its own path. A lone point
 * between two gaps is a run of one (drawn as a dot by the chart).
 */
export function segments(points: readonly ChartPoint[]): { t: number; v: number }[][] {
  const runs: { t: number; v: number }[][] = [];
  let current: { t: number; v: number }[] = [];
  for (const point of points) {
    if (point.v === null || !Number.isFinite(point.v)) {
      if (current.length > 0) runs.push(current);
      current = [];
    } else {
      current.push({ t: point.t, v: point.v });
    }
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

/** The largest value over all series' points; 0 when there is none. */
export function maxValue(series: readonly ChartSeries[]): number {
  let max = 0;
  for (const one of series) {
    for (const point of one.points) if (point.v !== null && point.v > max) max = point.v;
  }
  return max;
}

/** True when no series has a single non-null point: the chart shows its empty state. */
export function isEmpty(series: readonly ChartSeries[]): boolean {
  return series.every((one) => one.points.every((point) => point.v === null));
}
