// What the pointer means over a chart: the bucket under it (for the tooltip)
// and, after a drag, the time range it swept (for zooming the frame).
import { bisector } from "d3";
import type { ChartPoint } from "./series";

const byTime = bisector((point: ChartPoint) => point.t).center;

/** Index of the point nearest to `t` in time-ordered points; -1 when there are none. */
export function nearestIndex(points: readonly ChartPoint[], t: number): number {
  if (points.length === 0) return -1;
  return byTime(points, t);
}

/** Fewer pixels than this is a click, not a selection. */
export const MIN_DRAG_PX = 5;
/** The collector's roll-ups are per minute: a narrower range has nothing finer to show. */
export const MIN_RANGE_MS = 60_000;

/**
 * The range a drag from pixel x0 to x1 selects, ordered and clamped to the plot,
 * widened around its middle to MIN_RANGE_MS; undefined for a click.
 */
export function dragToRange(
  x0: number,
  x1: number,
  plot: { left: number; right: number },
  toTime: (px: number) => number,
): { fromMs: number; toMs: number } | undefined {
  const clamp = (px: number) => Math.min(plot.right, Math.max(plot.left, px));
  const a = clamp(Math.min(x0, x1));
  const b = clamp(Math.max(x0, x1));
  if (b - a < MIN_DRAG_PX) return undefined;
  let fromMs = Math.round(toTime(a));
  let toMs = Math.round(toTime(b));
  if (toMs - fromMs < MIN_RANGE_MS) {
    const middle = (fromMs + toMs) / 2;
    fromMs = Math.round(middle - MIN_RANGE_MS / 2);
    toMs = fromMs + MIN_RANGE_MS;
  }
  return { fromMs, toMs };
}
