// Placement that keeps each namespace's services together, so namespace boxes (compound
// nodes sized from their children) do not overlap. Inside a group, calls flow downwards
// as placeNewNodes lays them out; a group seen for the first time is laid out on its own
// and set to the right of the drawing, callers' groups before their callees'.
import { EXTERNAL_GROUP } from "./grouping";
import { DEFAULT_SPACING, type EdgeEnds, type Point, placeNewNodes, type Spacing } from "./placeNewNodes";

/** Width over height past which a new group wraps to a new row (the map panel is about 2.3:1). */
const MAX_ASPECT = 2;

export interface GroupedNode {
  id: string;
  /** Group key ("" for unboxed nodes, which form a group of their own). */
  group: string;
}

export function placeByGroup(
  placed: ReadonlyMap<string, Point>,
  placedGroups: ReadonlyMap<string, string>,
  newNodes: readonly GroupedNode[],
  edges: readonly EdgeEnds[],
  spacing: Spacing = DEFAULT_SPACING,
): Map<string, Point> {
  const positions = new Map(placed);
  const result = new Map<string, Point>();
  const groupOf = new Map(placedGroups);
  const byGroup = new Map<string, string[]>();
  for (const node of newNodes) {
    if (placed.has(node.id)) continue;
    groupOf.set(node.id, node.group);
    const ids = byGroup.get(node.group);
    if (ids) ids.push(node.id);
    else byGroup.set(node.group, [node.id]);
  }
  const inGroup = (group: string) => (edge: EdgeEnds) =>
    groupOf.get(edge.source) === group && groupOf.get(edge.target) === group;
  const keep = (points: Map<string, Point>) => {
    for (const [id, point] of points) {
      positions.set(id, point);
      result.set(id, point);
    }
  };

  // Groups already on the map grow in place, next to their own services.
  const fresh: string[] = [];
  const placedByGroup = new Map<string, Point[]>();
  for (const [id, point] of positions) {
    const group = groupOf.get(id);
    if (group === undefined || !byGroup.has(group)) continue;
    const members = placedByGroup.get(group);
    if (members) members.push(point);
    else placedByGroup.set(group, [point]);
  }
  for (const [group, ids] of byGroup) {
    const members = placedByGroup.get(group) ?? [];
    if (members.length === 0) {
      fresh.push(group);
      continue;
    }
    const box = bounds(members);
    const anchor = { x: box.maxX + spacing.x, y: box.minY };
    keep(placeNewNodes(positions, ids, edges.filter(inGroup(group)), spacing, anchor));
  }

  // New groups in call order: by their services' mean call depth (hops from a service
  // nobody calls), so the entry namespace comes first and its callees follow; peers
  // outside the map, being the ends of calls, go last.
  const depth = callDepths(edges);
  const meanDepth = (group: string) => {
    const ids = byGroup.get(group) ?? [];
    return ids.reduce((sum, id) => sum + (depth.get(id) ?? 0), 0) / Math.max(1, ids.length);
  };
  const ordered = fresh
    .filter((group) => group !== "")
    .sort(
      (a, b) =>
        Number(a === EXTERNAL_GROUP) - Number(b === EXTERNAL_GROUP) ||
        meanDepth(a) - meanDepth(b) ||
        a.localeCompare(b),
    );
  for (const group of ordered) {
    const ids = byGroup.get(group) ?? [];
    const local = placeNewNodes(new Map(), ids, edges.filter(inGroup(group)), spacing);
    const localBox = bounds([...local.values()]);
    const drawing = positions.size > 0 ? bounds([...positions.values()]) : undefined;
    // A gap of one column (or row) between boxes leaves room for the box padding and
    // its label. Once the drawing is wider than MAX_ASPECT × its height, the next group
    // starts a row below, so the map keeps roughly the panel's shape instead of a strip.
    const wide =
      drawing !== undefined &&
      drawing.maxX - drawing.minX > MAX_ASPECT * Math.max(drawing.maxY - drawing.minY, spacing.y * 2);
    const dx = !drawing
      ? -localBox.minX
      : wide
        ? drawing.minX - localBox.minX
        : drawing.maxX + 2 * spacing.x - localBox.minX;
    const dy = !drawing
      ? -localBox.minY
      : wide
        ? drawing.maxY + 2 * spacing.y - localBox.minY
        : drawing.minY - localBox.minY;
    keep(new Map([...local].map(([id, p]) => [id, { x: p.x + dx, y: p.y + dy }])));
  }
  // Unboxed services (no namespace: clients, databases named by process) are not a
  // block of their own: each goes next to what it calls or is called by.
  if (fresh.includes("")) keep(placeNewNodes(positions, byGroup.get("") ?? [], edges, spacing));
  return result;
}

function bounds(points: Iterable<Point>): { minX: number; maxX: number; minY: number; maxY: number } {
  const box = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity };
  for (const p of points) {
    box.minX = Math.min(box.minX, p.x);
    box.maxX = Math.max(box.maxX, p.x);
    box.minY = Math.min(box.minY, p.y);
    box.maxY = Math.max(box.maxY, p.y);
  }
  return box;
}

/** Hops from the nearest service nobody calls (breadth-first); nodes only on cycles count as 0. */
export function callDepths(edges: readonly EdgeEnds[]): Map<string, number> {
  const callees = new Map<string, string[]>();
  const called = new Set<string>();
  const ids = new Set<string>();
  for (const { source, target } of edges) {
    ids.add(source);
    ids.add(target);
    if (source === target) continue;
    const list = callees.get(source);
    if (list) list.push(target);
    else callees.set(source, [target]);
    called.add(target);
  }
  const depth = new Map<string, number>();
  const queue = [...ids].filter((id) => !called.has(id));
  for (const id of queue) depth.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    for (const next of callees.get(id) ?? []) {
      if (depth.has(next)) continue;
      depth.set(next, (depth.get(id) ?? 0) + 1);
      queue.push(next);
    }
  }
  return depth;
}
