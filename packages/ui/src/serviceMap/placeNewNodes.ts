import { PointIndex, SegmentIndex } from "./slotIndex";

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
 * Edges are looked up by node and slots by cell (slotIndex.ts), so the cost grows with
 * the new nodes and their neighbourhoods, not with the square of the map.
 */
export function placeNewNodes(
  placed: ReadonlyMap<string, Point>,
  newNodeIds: readonly string[],
  edges: readonly EdgeEnds[],
  spacing: Spacing = DEFAULT_SPACING,
  /** Where a node with no placed neighbour goes (default: a new column right of the drawing). */
  anchor?: Point,
): Map<string, Point> {
  const result = new Map<string, Point>();
  const remaining = [...new Set(newNodeIds)].filter((id) => !placed.has(id));
  if (remaining.length === 0) return result;
  const layout = new Layout(placed, edges, spacing);
  const unplaced = new Set(remaining);
  while (remaining.length > 0) {
    const [id] = remaining.splice(layout.nextToPlace(remaining, unplaced), 1);
    if (id === undefined) break;
    unplaced.delete(id);
    const point = layout.nearestFreeSlot(layout.preferredPoint(id, anchor), id);
    layout.place(id, point);
    result.set(id, point);
  }
  return result;
}

/** The drawing as placement sees it: positions, edges by node, and spatial indexes in grid units. */
class Layout {
  private readonly positions: Map<string, Point>;
  /** Each node's edges in the order given (a self-call once), so sums match edge order. */
  private readonly incident = new Map<string, EdgeEnds[]>();
  /** Unplaced nodes with a placed neighbour. */
  private readonly attached = new Set<string>();
  private readonly points = new PointIndex();
  private readonly segments = new SegmentIndex();
  private maxX = Number.NEGATIVE_INFINITY;
  private minY = Number.POSITIVE_INFINITY;

  constructor(
    placed: ReadonlyMap<string, Point>,
    edges: readonly EdgeEnds[],
    private readonly spacing: Spacing,
  ) {
    this.positions = new Map(placed);
    for (const edge of edges) {
      this.edgesOf(edge.source).push(edge);
      if (edge.target !== edge.source) this.edgesOf(edge.target).push(edge);
      const a = placed.get(edge.source);
      const b = placed.get(edge.target);
      if (a && !b) this.attached.add(edge.target);
      if (b && !a) this.attached.add(edge.source);
      if (a && b && edge.source !== edge.target) this.segments.add(this.grid(a), this.grid(b));
    }
    for (const point of placed.values()) this.addPoint(point);
  }

  private edgesOf(id: string): EdgeEnds[] {
    let list = this.incident.get(id);
    if (!list) {
      list = [];
      this.incident.set(id, list);
    }
    return list;
  }

  private grid(p: Point): Point {
    return { x: p.x / this.spacing.x, y: p.y / this.spacing.y };
  }

  private addPoint(point: Point): void {
    this.points.add(this.grid(point));
    this.maxX = Math.max(this.maxX, point.x);
    this.minY = Math.min(this.minY, point.y);
  }

  place(id: string, point: Point): void {
    this.positions.set(id, point);
    this.addPoint(point);
    this.attached.delete(id);
    for (const edge of this.incident.get(id) ?? []) {
      const peer = edge.source === id ? edge.target : edge.source;
      if (peer === id) continue;
      const other = this.positions.get(peer);
      if (other)
        this.segments.add(
          this.grid(edge.source === id ? point : other),
          this.grid(edge.source === id ? other : point),
        );
      else this.attached.add(peer);
    }
  }

  /** Index of the node to place next: one attached to the drawing, else a root, else the first. */
  nextToPlace(remaining: readonly string[], unplaced: ReadonlySet<string>): number {
    const attached = remaining.findIndex((id) => this.attached.has(id));
    if (attached >= 0) return attached;
    const root = remaining.findIndex(
      (id) =>
        !(this.incident.get(id) ?? []).some(
          (e) => e.target === id && e.source !== id && unplaced.has(e.source),
        ),
    );
    return Math.max(0, root);
  }

  /** Placed ends of the node's edges, in edge order. */
  private placedEnds(id: string, peerOf: (edge: EdgeEnds) => string | undefined): Point[] {
    return (this.incident.get(id) ?? []).flatMap((edge) => {
      const peer = peerOf(edge);
      const point = peer === undefined ? undefined : this.positions.get(peer);
      return point ? [point] : [];
    });
  }

  preferredPoint(id: string, anchor: Point | undefined): Point {
    const { spacing } = this;
    const callers = this.placedEnds(id, (e) => (e.target === id && e.source !== id ? e.source : undefined));
    if (callers.length > 0) {
      return { x: mean(callers.map((p) => p.x)), y: Math.max(...callers.map((p) => p.y)) + spacing.y };
    }
    const callees = this.placedEnds(id, (e) => (e.source === id && e.target !== id ? e.target : undefined));
    if (callees.length > 0) {
      return { x: mean(callees.map((p) => p.x)), y: Math.min(...callees.map((p) => p.y)) - spacing.y };
    }
    if (anchor) return anchor;
    if (this.positions.size === 0) return { x: 0, y: 0 };
    return { x: this.maxX + spacing.x, y: this.minY };
  }

  /**
   * Walks rings of grid slots around `preferred`, same row first, and takes the first
   * free one that keeps edges clear of nodes; failing that within CLEAR_SEARCH_RINGS
   * rings past the first free one, that first free one.
   */
  nearestFreeSlot(preferred: Point, id: string): Point {
    const { spacing, points, segments } = this;
    const neighbours = this.placedEnds(id, (e) =>
      e.source === id ? e.target : e.target === id ? e.source : undefined,
    ).map((p) => this.grid(p));
    const isFree = (at: Point) => points.near(at, (q) => distance(at, q) >= NODE_CLEARANCE);
    const keepsEdgesClear = (at: Point) =>
      neighbours.every((n) =>
        points.nearSegment(
          n,
          at,
          (q) => (q.x === n.x && q.y === n.y) || segmentDistance(q, n, at) >= EDGE_CLEARANCE,
        ),
      ) && segments.near(at, (a, b) => segmentDistance(at, a, b) >= EDGE_CLEARANCE);

    let firstFree: Point | undefined;
    let firstFreeRing = 0;
    for (let ring = 0; ring <= points.size + 1; ring++) {
      if (firstFree && ring > firstFreeRing + CLEAR_SEARCH_RINGS) break;
      for (const { dx, dy } of ringSlots(ring)) {
        const point = { x: preferred.x + dx * spacing.x, y: preferred.y + dy * spacing.y };
        const at = this.grid(point);
        if (!isFree(at)) continue;
        if (keepsEdgesClear(at)) return point;
        if (!firstFree) {
          firstFree = point;
          firstFreeRing = ring;
        }
      }
    }
    return firstFree ?? { x: preferred.x + (points.size + 2) * spacing.x, y: preferred.y };
  }
}

const rings: { dx: number; dy: number }[][] = [];

/** Offsets of one ring of slots: same row first, then nearest column, right before left. */
function ringSlots(ring: number): readonly { dx: number; dy: number }[] {
  const cached = rings[ring];
  if (cached) return cached;
  const slots: { dx: number; dy: number }[] = [];
  for (let dx = -ring; dx <= ring; dx++) {
    for (let dy = -ring; dy <= ring; dy++) {
      if (Math.max(Math.abs(dx), Math.abs(dy)) === ring) slots.push({ dx, dy });
    }
  }
  slots.sort((a, b) => Math.abs(a.dy) - Math.abs(b.dy) || Math.abs(a.dx) - Math.abs(b.dx) || b.dx - a.dx);
  // Rings past the drawing are rare and large; keep only the common ones.
  if (ring < 64) rings[ring] = slots;
  return slots;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

// Clearances in grid units (distances divided by the spacing on each axis); both below
// one unit, which slotIndex.ts relies on.
const NODE_CLEARANCE = 0.75;
/**
 * How far past the first free slot to look for one whose edges run clear. Further out
 * the new edge grows long enough to cross the drawing anyway; on a crowded hub the
 * search used to run to the drawing's edge for every node (seconds per update at
 * 1,000 services in make bench-ui).
 */
const CLEAR_SEARCH_RINGS = 3;
const EDGE_CLEARANCE = 0.35;

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
