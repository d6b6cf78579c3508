// The viewport that fits the map, from node positions and the box sizes the stylesheet
// gives them. Cytoscape's own cy.fit() measures every element's bounding box, which
// first computes every element's style and label size and walks each namespace box's
// members: ~150 ms more of the first render at 200 services (make bench-ui), for a
// frame the renderer then draws from the same style anyway.
import type { Point } from "./placeNewNodes";

export interface NodeBox extends Point {
  halfWidth: number;
  halfHeight: number;
}

export interface Viewport {
  zoom: number;
  pan: Point;
}

/** Room around a node inside a namespace box: the box's padding and, above, its title. */
export const BOX_MARGIN = { side: 20, top: 40, bottom: 20 };

export function fitViewport(
  nodes: readonly NodeBox[],
  width: number,
  height: number,
  padding: number,
  minZoom: number,
  maxZoom: number,
): Viewport | undefined {
  if (nodes.length === 0 || width <= 0 || height <= 0) return undefined;
  let x1 = Number.POSITIVE_INFINITY;
  let y1 = Number.POSITIVE_INFINITY;
  let x2 = Number.NEGATIVE_INFINITY;
  let y2 = Number.NEGATIVE_INFINITY;
  for (const node of nodes) {
    x1 = Math.min(x1, node.x - node.halfWidth - BOX_MARGIN.side);
    x2 = Math.max(x2, node.x + node.halfWidth + BOX_MARGIN.side);
    y1 = Math.min(y1, node.y - node.halfHeight - BOX_MARGIN.top);
    y2 = Math.max(y2, node.y + node.halfHeight + BOX_MARGIN.bottom);
  }
  if (![x1, x2, y1, y2].every(Number.isFinite)) return undefined;
  const innerWidth = Math.max(1, width - 2 * padding);
  const innerHeight = Math.max(1, height - 2 * padding);
  const zoom = Math.min(
    maxZoom,
    Math.max(minZoom, Math.min(innerWidth / (x2 - x1), innerHeight / (y2 - y1))),
  );
  // Centred both ways: when the zoom is capped the drawing is smaller than the panel.
  return {
    zoom,
    pan: { x: width / 2 - (zoom * (x1 + x2)) / 2, y: height / 2 - (zoom * (y1 + y2)) / 2 },
  };
}
