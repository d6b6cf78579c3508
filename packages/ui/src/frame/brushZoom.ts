// Dragging across a chart zooms the frame to the dragged span, in absolute mode
// (Coroot's "select a region"). Charts hand over pixels in their plot area; this
// turns them into instants, so every chart zooms the same way.
import type { TimeRange } from "./timeRange";

export interface BrushSpan {
  /** Pointer x where the drag started and ended, in px from the plot area's left edge. */
  startPx: number;
  endPx: number;
  /** Width of the plot area in px (the chart's x range). */
  widthPx: number;
  /** The instants (epoch ms) at the plot's left and right edges. */
  domainFrom: number;
  domainTo: number;
}

/** A drag shorter than this is a click, not a selection. */
export const MIN_BRUSH_PX = 4;
/** The narrowest range a zoom produces: below a second the API's buckets are empty noise. */
export const MIN_ZOOM_MS = 1_000;

/**
 * The absolute range under a drag, or undefined for a click-sized drag or an empty
 * chart. Either drag direction works; the span is clamped to the plot and rounded
 * outward to whole seconds so URLs stay short.
 */
export function brushToRange(span: BrushSpan): (TimeRange & { kind: "absolute" }) | undefined {
  const { widthPx, domainFrom, domainTo } = span;
  if (!(widthPx > 0) || !(domainTo > domainFrom)) return undefined;
  const clamp = (px: number) => Math.min(widthPx, Math.max(0, px));
  const left = clamp(Math.min(span.startPx, span.endPx));
  const right = clamp(Math.max(span.startPx, span.endPx));
  if (!(right - left >= MIN_BRUSH_PX)) return undefined;
  const msPerPx = (domainTo - domainFrom) / widthPx;
  let from = Math.floor((domainFrom + left * msPerPx) / 1000) * 1000;
  let to = Math.ceil((domainFrom + right * msPerPx) / 1000) * 1000;
  if (to - from < MIN_ZOOM_MS) {
    const centre = (from + to) / 2;
    from = Math.floor((centre - MIN_ZOOM_MS / 2) / 1000) * 1000;
    to = from + MIN_ZOOM_MS;
  }
  return { kind: "absolute", from, to };
}
