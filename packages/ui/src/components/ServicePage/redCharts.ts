// A service's RED series as chart series, and the range's totals. Counts come
// from the collector's per-minute metric series, which count every request
// (sampling thins stored rows, never these), so the totals are exact.
import type { ChartSeries } from "../../charts/series";
import type { RedPoint, RedSeries } from "./parseServiceApi";

export interface RedTotals {
  requests: number;
  errors: number;
  /** Requests per second over the whole range asked for. */
  ratePerSecond: number;
  /** errors / requests; undefined with no requests. */
  errorRatio: number | undefined;
  /** The highest bucket p99 in the range; undefined with no requests. */
  worstP99Ms: number | undefined;
}

export function redTotals(series: RedSeries, range: { fromMs: number; toMs: number }): RedTotals {
  let requests = 0;
  let errors = 0;
  let worstP99Ms: number | undefined;
  for (const point of series.points) {
    requests += point.requests;
    errors += point.errors;
    if (point.requests > 0) worstP99Ms = Math.max(worstP99Ms ?? 0, point.p99Ms);
  }
  const seconds = Math.max(1, (range.toMs - range.fromMs) / 1000);
  return {
    requests,
    errors,
    ratePerSecond: requests / seconds,
    errorRatio: requests > 0 ? errors / requests : undefined,
    worstP99Ms,
  };
}

// A bucket with no requests has a rate of 0 but no error ratio or latency: a
// gap, not a zero (a zero would draw a quiet minute as a fast, healthy one).
const whenServed = (point: RedPoint, value: number) => (point.requests > 0 ? value : null);

export function rateSeries(series: RedSeries): ChartSeries[] {
  return [
    {
      key: "rate",
      label: "requests/s",
      color: "var(--chart-1)",
      points: series.points.map((point) => ({ t: point.t, v: point.requestsPerSecond })),
    },
  ];
}

export function errorRatioSeries(series: RedSeries): ChartSeries[] {
  return [
    {
      key: "errors",
      label: "error ratio",
      color: "var(--error)",
      points: series.points.map((point) => ({ t: point.t, v: whenServed(point, point.errorRatio) })),
    },
  ];
}

export function latencySeries(series: RedSeries): ChartSeries[] {
  const pick = (key: "p50Ms" | "p90Ms" | "p99Ms") =>
    series.points.map((point) => ({ t: point.t, v: whenServed(point, point[key]) }));
  return [
    { key: "p50", label: "p50", color: "var(--chart-5)", points: pick("p50Ms") },
    { key: "p90", label: "p90", color: "var(--chart-3)", points: pick("p90Ms") },
    { key: "p99", label: "p99", color: "var(--chart-4)", points: pick("p99Ms") },
  ];
}
