// Edge labels the canvas does not draw at the current zoom are not restyled at each poll:
// zoomed out to fit 200 services, every call's rate label changes and restyling ~600
// edges cost ~100 ms an update in make bench-ui, for text too small to be drawn. Their
// new text goes into the data at once (what the table, panels and tests read) and the
// canvas catches up when a zoom makes labels readable again.
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

/** Restyles the edges with labels not drawn yet, so they show; returns how many. */
export function flushStaleLabels(cy: Core): number {
  const stale = staleLabels(cy);
  if (stale.size === 0) return 0;
  const ids = [...stale];
  stale.clear();
  cy.batch(() => {
    for (const id of ids) {
      const edge = cy.getElementById(id);
      if (edge.nonempty()) edge.data("label", edge.data("label"));
    }
  });
  return ids.length;
}
