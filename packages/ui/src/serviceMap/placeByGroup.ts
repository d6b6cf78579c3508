// Placement that keeps each namespace's services together, so namespace boxes (compound
// nodes sized from their children) do not overlap. Inside a group, calls flow downwards
// as placeNewNodes lays them out; a group seen for the first time is laid out on its own
// and set to the right of the drawing, callers' groups before their callees'.
import { DEFAULT_SPACING, type EdgeEnds, type Point, placeNewNodes, type Spacing } from "./placeNewNodes";

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
    byGroup.set(node.group, [...(byGroup.get(node.group) ?? []), node.id]);
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
  for (const [group, ids] of byGroup) {
    const members = [...positions].filter(([id]) => groupOf.get(id) === group && !ids.includes(id));
    if (members.length === 0) {
      fresh.push(group);
      continue;
    }
    const box = bounds(members.map(([, p]) => p));
    const anchor = { x: box.maxX + spacing.x, y: box.minY };
    keep(placeNewNodes(positions, ids, edges.filter(inGroup(group)), spacing, anchor));
  }

  // New groups in call order: next is the one with the fewest calls in from groups not
  // yet placed (a topological order that tolerates cycles), ties by name.
  const callsIn = (group: string, waiting: readonly string[]) =>
    edges.filter((e) => {
      const from = groupOf.get(e.source);
      return (
        groupOf.get(e.target) === group && from !== undefined && from !== group && waiting.includes(from)
      );
    }).length;
  const ordered: string[] = [];
  const waiting = [...fresh];
  while (waiting.length > 0) {
    waiting.sort((a, b) => callsIn(a, waiting) - callsIn(b, waiting) || a.localeCompare(b));
    ordered.push(waiting.shift() as string);
  }
  for (const group of ordered) {
    const ids = byGroup.get(group) ?? [];
    const local = placeNewNodes(new Map(), ids, edges.filter(inGroup(group)), spacing);
    const localBox = bounds([...local.values()]);
    const drawing = positions.size > 0 ? bounds([...positions.values()]) : undefined;
    // A gap of one column between boxes leaves room for the box padding and its label.
    const dx = drawing ? drawing.maxX + 2 * spacing.x - localBox.minX : -localBox.minX;
    const dy = drawing ? drawing.minY - localBox.minY : -localBox.minY;
    keep(new Map([...local].map(([id, p]) => [id, { x: p.x + dx, y: p.y + dy }])));
  }
  return result;
}

function bounds(points: readonly Point[]): { minX: number; maxX: number; minY: number; maxY: number } {
  return {
    minX: Math.min(...points.map((p) => p.x)),
    maxX: Math.max(...points.map((p) => p.x)),
    minY: Math.min(...points.map((p) => p.y)),
    maxY: Math.max(...points.map((p) => p.y)),
  };
}
