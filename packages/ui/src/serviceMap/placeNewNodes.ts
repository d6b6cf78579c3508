export interface Point {
  x: number;
  y: number;
}

export interface EdgeEnds {
  source: string;
  target: string;
}

/**
 * Positions for nodes that join a map already on screen, without moving anything that
 * is there: a callee goes one row below its callers, a caller one row above its callees
 * (the same top-down flow as the initial breadth-first layout), at the nearest free grid
 * slot. A node with no placed neighbour starts a new column right of the drawing.
 */
export function placeNewNodes(
  placed: ReadonlyMap<string, Point>,
  newNodeIds: readonly string[],
  edges: readonly EdgeEnds[],
  spacing = 160,
): Map<string, Point> {
  const positions = new Map(placed);
  const result = new Map<string, Point>();
  const remaining = newNodeIds.filter((id) => !placed.has(id));
  while (remaining.length > 0) {
    const index = Math.max(
      0,
      remaining.findIndex((id) => neighboursOf(id, edges, positions).length > 0),
    );
    const [id] = remaining.splice(index, 1);
    if (id === undefined) break;
    const preferred = preferredPoint(id, edges, positions, spacing);
    const point = nearestFreeSlot(preferred, positions, spacing);
    positions.set(id, point);
    result.set(id, point);
  }
  return result;
}

interface Neighbour {
  point: Point;
  /** +1 when the neighbour calls this node (so it sits below), -1 when this node calls it. */
  direction: 1 | -1;
}

function neighboursOf(
  id: string,
  edges: readonly EdgeEnds[],
  positions: ReadonlyMap<string, Point>,
): Neighbour[] {
  const neighbours: Neighbour[] = [];
  for (const edge of edges) {
    if (edge.source === edge.target) continue;
    const caller = edge.target === id ? positions.get(edge.source) : undefined;
    const callee = edge.source === id ? positions.get(edge.target) : undefined;
    if (caller) neighbours.push({ point: caller, direction: 1 });
    if (callee) neighbours.push({ point: callee, direction: -1 });
  }
  return neighbours;
}

function preferredPoint(
  id: string,
  edges: readonly EdgeEnds[],
  positions: ReadonlyMap<string, Point>,
  spacing: number,
): Point {
  const neighbours = neighboursOf(id, edges, positions);
  if (neighbours.length > 0) {
    const x = neighbours.reduce((sum, n) => sum + n.point.x, 0) / neighbours.length;
    const y = neighbours.reduce((sum, n) => sum + n.point.y + n.direction * spacing, 0) / neighbours.length;
    return { x, y };
  }
  if (positions.size === 0) return { x: 0, y: 0 };
  const all = [...positions.values()];
  return { x: Math.max(...all.map((p) => p.x)) + spacing, y: Math.min(...all.map((p) => p.y)) };
}

/** Walks rings of grid slots around `preferred`, nearest first, until one is clear. */
function nearestFreeSlot(preferred: Point, positions: ReadonlyMap<string, Point>, spacing: number): Point {
  const clearance = spacing * 0.75;
  const isFree = (p: Point) =>
    [...positions.values()].every((q) => Math.hypot(p.x - q.x, p.y - q.y) >= clearance);
  for (let ring = 0; ring <= positions.size + 1; ring++) {
    const candidates: Point[] = [];
    for (let dx = -ring; dx <= ring; dx++) {
      for (let dy = -ring; dy <= ring; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        candidates.push({ x: preferred.x + dx * spacing, y: preferred.y + dy * spacing });
      }
    }
    // Same row first, then by distance, so siblings line up beside each other.
    candidates.sort(
      (a, b) =>
        Math.abs(a.y - preferred.y) - Math.abs(b.y - preferred.y) ||
        Math.abs(a.x - preferred.x) - Math.abs(b.x - preferred.x) ||
        a.x - b.x,
    );
    const free = candidates.find(isFree);
    if (free) return free;
  }
  return { x: preferred.x + (positions.size + 2) * spacing, y: preferred.y };
}
