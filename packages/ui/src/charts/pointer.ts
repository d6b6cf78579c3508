// What the pointer means over a chart: the bucket under it (for the tooltip)
// and, after a drag, the span it swept. The span is handed over in the frame's
// BrushSpan form (plot-relative pixels plus the plot's time domain) so the one
// brush-to-range rule in frame/brushZoom.ts decides what a drag selects.
import { bisector } from "d3";
import type { ChartPoint } from "./series";

const byTime = bisector((point: ChartPoint) => point.t).center;

/** Index of the point nearest to `t` in time-ordered points; -1 when there are none. */
export function nearestIndex(points: readonly ChartPoint[], t: number): number {
  if (points.length === 0) return -1;
  return byTime(points, t);
}

/** A drag over the plot, as frame/brushZoom.ts's BrushSpan (structurally the same). */
export interface ChartBrush {
  startPx: number;
  endPx: number;
  widthPx: number;
  domainFrom: number;
  domainTo: number;
}

/** Fewer pixels than this draws no selection rectangle (it is a click). */
export const MIN_DRAG_PX = 4;

/** SVG x coordinates of a drag → the brush span relative to the plot's left edge. */
export function toBrush(
  startX: number,
  endX: number,
  plot: { left: number; right: number },
  domain: { fromMs: number; toMs: number },
): ChartBrush {
  return {
    startPx: startX - plot.left,
    endPx: endX - plot.left,
    widthPx: plot.right - plot.left,
    domainFrom: domain.fromMs,
    domainTo: domain.toMs,
  };
}
