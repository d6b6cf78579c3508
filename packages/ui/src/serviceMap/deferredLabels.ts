// Edge labels the canvas does not draw now (too small at this zoom, or off screen) are not
// restyled at each poll: every call's rate label changes, and restyling ~600 edges cost
// 100–150 ms an update at 200 services (make bench-ui), on screen or not. Their new text
// goes into the data at once (what the table, panels and tests read) and the canvas
// catches up when a zoom or pan brings them into view.
import type { Core } from "cytoscape";
import { EDGE_FONT_SIZE, MIN_ZOOMED_FONT_SIZE } from "./serviceMapStyle";

// Per instance, beside it: setting cy.scratch() restyles every element.
const staleByInstance = new WeakMap<Core, Set<string>>();

/**
 * Whether Cytoscape draws edge labels at this zoom. It draws one when font-size × 2^⌈log2(zoom ×
 * pixel ratio)⌉ reaches min-zoomed-font-size (drawing-label-text.mjs, 3.34); that power of two
 * is at most twice zoom × ratio, so this answers "drawn" near the threshold.
 */
export function edgeLabelsDrawn(zoom: number, pixelRatio: number): boolean {
  return EDGE_FONT_SIZE * 2 * zoom * pixelRatio >= MIN_ZOOMED_FONT_SIZE;
}

export interface Extent {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * Whether a label at `point` (model units) may be on screen: inside the visible extent
 * grown by half its size each way, so labels just off the edge are kept current too.
 */
export function nearExtent(point: { x: number; y: number }, extent: Extent): boolean {
  const dx = (extent.x2 - extent.x1) / 2;
  const dy = (extent.y2 - extent.y1) / 2;
  return (
    point.x >= extent.x1 - dx &&
    point.x <= extent.x2 + dx &&
    point.y >= extent.y1 - dy &&
    point.y <= extent.y2 + dy
  );
}

function staleLabels(cy: Core): Set<string> {
  let stale = staleByInstance.get(cy);
  if (!stale) {
    stale = new Set();
    staleByInstance.set(cy, stale);
  }
  return stale;
}

/** Notes an edge whose data holds a label the canvas has not drawn yet. */
export function markLabelStale(cy: Core, id: string): void {
  staleLabels(cy).add(id);
}

/**
 * Restyles the edges whose labels were left undrawn and that `shown` now says are drawn
 * (all of them without `shown`); returns how many.
 */
export function flushStaleLabels(cy: Core, shown?: (source: string, target: string) => boolean): number {
  const stale = staleLabels(cy);
  if (stale.size === 0) return 0;
  const due: string[] = [];
  for (const id of stale) {
    const edge = cy.getElementById(id);
    if (edge.empty()) stale.delete(id);
    else if (!shown || shown(String(edge.data("source")), String(edge.data("target")))) due.push(id);
  }
  if (due.length === 0) return 0;
  cy.batch(() => {
    for (const id of due) {
      stale.delete(id);
      const edge = cy.getElementById(id);
      edge.data("label", edge.data("label"));
    }
  });
  return due.length;
}
