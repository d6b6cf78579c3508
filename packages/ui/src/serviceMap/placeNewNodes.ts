export interface Point {
  x: number;
  y: number;
}

export interface EdgeEnds {
  source: string;
  target: string;
}

/** Grid pitch in model units: wide enough across for an edge label between siblings. */
export interface Spacing {
  x: number;
  y: number;
}

export const DEFAULT_SPACING: Spacing = { x: 270, y: 150 };

/**
 * Positions for nodes that join the map, without moving any node already placed.
 * Calls flow downwards: a callee goes one row below its lowest caller, a caller one row
 * above its highest callee, at the nearest free grid slot in that row. On an empty map
 * the roots (nodes nobody calls) are placed first, which yields a top-down layered
 * layout; a node with no placed neighbour starts a new column right of the drawing.
 * A slot is taken only if the new node's edges do not run through another node and no
 * existing edge runs through it: a call hidden behind a box reads as no call at all.
 */
export function placeNewNodes(
  placed: ReadonlyMap<string, Point>,
  newNodeIds: readonly string[],
  edges: readonly EdgeEnds[],
  spacing: Spacing = DEFAULT_SPACING,
  /** Where a node with no placed neighbour goes (default: a new column right of the drawing). */
  anchor?: Point,
): Map<string, Point> {
  const positions = new Map(placed);
  const result = new Map<string, Point>();
  const remaining = [...new Set(newNodeIds)].filter((id) => !placed.has(id));
  while (remaining.length > 0) {
    const [id] = remaining.splice(nextToPlace(remaining, edges, positions), 1);
    if (id === undefined) break;
    const preferred = preferredPoint(id, edges, positions, spacing, anchor);
    const point = nearestFreeSlot(preferred, id, edges, positions, spacing);
    positions.set(id, point);
    result.set(id, point);
  }
  return result;
}

/** Index of the node to place next: one attached to the drawing, else a root, else the first. */
function nextToPlace(
  remaining: readonly string[],
  edges: readonly EdgeEnds[],
  positions: ReadonlyMap<string, Point>,
) {
  const attached = remaining.findIndex((id) =>
    edges.some(
      (e) => (e.target === id && positions.has(e.source)) || (e.source === id && positions.has(e.target)),
    ),
  );
  if (attached >= 0) return attached;
  const unplaced = new Set(remaining);
  const root = remaining.findIndex(
    (id) => !edges.some((e) => e.target === id && e.source !== id && unplaced.has(e.source)),
  );
  return Math.max(0, root);
}

function preferredPoint(
  id: string,
  edges: readonly EdgeEnds[],
  positions: ReadonlyMap<string, Point>,
  spacing: Spacing,
  anchor: Point | undefined,
): Point {
  const callers = placedEnds(edges, positions, (e) =>
    e.target === id && e.source !== id ? e.source : undefined,
  );
  if (callers.length > 0) {
    return { x: mean(callers.map((p) => p.x)), y: Math.max(...callers.map((p) => p.y)) + spacing.y };
  }
  const callees = placedEnds(edges, positions, (e) =>
    e.source === id && e.target !== id ? e.target : undefined,
  );
  if (callees.length > 0) {
    return { x: mean(callees.map((p) => p.x)), y: Math.min(...callees.map((p) => p.y)) - spacing.y };
  }
  if (anchor) return anchor;
  if (positions.size === 0) return { x: 0, y: 0 };
  const all = [...positions.values()];
  return { x: Math.max(...all.map((p) => p.x)) + spacing.x, y: Math.min(...all.map((p) => p.y)) };
}

function placedEnds(
  edges: readonly EdgeEnds[],
  positions: ReadonlyMap<string, Point>,
  peerOf: (edge: EdgeEnds) => string | undefined,
): Point[] {
  return edges.flatMap((edge) => {
    const peer = peerOf(edge);
    const point = peer === undefined ? undefined : positions.get(peer);
    return point ? [point] : [];
  });
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

// Clearances in grid units (distances divided by the spacing on each axis).
const NODE_CLEARANCE = 0.75;
const EDGE_CLEARANCE = 0.35;

/**
 * Walks rings of grid slots around `preferred`, same row first, and takes the first
 * free one that keeps edges clear of nodes; failing that, the first free one.
 */
function nearestFreeSlot(
  preferred: Point,
  id: string,
  edges: readonly EdgeEnds[],
  positions: ReadonlyMap<string, Point>,
  spacing: Spacing,
): Point {
  const grid = (p: Point): Point => ({ x: p.x / spacing.x, y: p.y / spacing.y });
  const others = [...positions.values()].map(grid);
  const neighbours = placedEnds(edges, positions, (e) =>
    e.source === id ? e.target : e.target === id ? e.source : undefined,
  ).map(grid);
  const segments = edges.flatMap((e) => {
    const a = positions.get(e.source);
    const b = positions.get(e.target);
    return a && b && e.source !== e.target ? [[grid(a), grid(b)] as const] : [];
  });
  const isFree = (at: Point) => others.every((q) => distance(at, q) >= NODE_CLEARANCE);
  const keepsEdgesClear = (at: Point) =>
    neighbours.every((n) =>
      others.every((q) => (q.x === n.x && q.y === n.y) || segmentDistance(q, n, at) >= EDGE_CLEARANCE),
    ) && segments.every(([a, b]) => segmentDistance(at, a, b) >= EDGE_CLEARANCE);

  let firstFree: Point | undefined;
  for (let ring = 0; ring <= others.length + 1; ring++) {
    const candidates: { dx: number; dy: number }[] = [];
    for (let dx = -ring; dx <= ring; dx++) {
      for (let dy = -ring; dy <= ring; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) === ring) candidates.push({ dx, dy });
      }
    }
    // Same row first, then nearest column, right before left: siblings line up in a row.
    candidates.sort(
      (a, b) => Math.abs(a.dy) - Math.abs(b.dy) || Math.abs(a.dx) - Math.abs(b.dx) || b.dx - a.dx,
    );
    for (const { dx, dy } of candidates) {
      const point = { x: preferred.x + dx * spacing.x, y: preferred.y + dy * spacing.y };
      const at = grid(point);
      if (!isFree(at)) continue;
      if (keepsEdgesClear(at)) return point;
      firstFree ??= point;
    }
  }
  return firstFree ?? { x: preferred.x + (others.length + 2) * spacing.x, y: preferred.y };
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** Distance from `p` to the segment from `a` to `b`. */
function segmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  if (lengthSquared === 0) return distance(p, a);
  const t = Math.min(1, Math.max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared));
  return distance(p, { x: a.x + t * dx, y: a.y + t * dy });
}
