// The flame graph as the collector sends it — a nested set in depth-first order
// (name, level, inclusive value, self per frame; flame-tree.ts in the collector) —
// plus the columns every view needs and the API does not send: each frame's
// parent, its left offset in samples and the end of its subtree. Columns rather
// than node objects: a graph of 20,000 frames stays a handful of arrays, and a
// subtree is the index range [i, end[i]) (Grafana's and Parca's layout).
import { asObject, readArray, readBoolean, readNumber, readString } from "../api/jsonFields";

export interface FlameGraphData {
  names: string[];
  levels: number[];
  values: number[];
  selfs: number[];
  total: number;
  /** The collector folded its smallest subtrees into their parents' self time. */
  truncated: boolean;
  from: string;
  to: string;
}

export interface FlameTree {
  names: string[];
  levels: number[];
  /** Inclusive samples (total); fractions in a diff tree. */
  values: number[];
  selfs: number[];
  /** Index of the parent frame; -1 for the root. */
  parents: number[];
  /** Left edge in samples from the root's left edge. */
  starts: number[];
  /** One past the last frame of this frame's subtree. */
  ends: number[];
  maxLevel: number;
  total: number;
}

/** A frame as a tree node: what the tree-building views (sandwich, diff, scopes) work on. */
export interface FlameNode {
  name: string;
  value: number;
  self: number;
  children: FlameNode[];
}

function isNumberArray(value: unknown[]): value is number[] {
  return value.every((item) => typeof item === "number" && Number.isFinite(item));
}

/** Validates the /api/v1/flamegraph body; undefined when the columns disagree. */
export function parseFlameGraph(body: unknown): FlameGraphData | undefined {
  const object = asObject(body);
  if (!object) return undefined;
  const names = readArray(object, "names");
  const levels = readArray(object, "levels");
  const values = readArray(object, "values");
  const selfs = readArray(object, "selfs");
  if (!names.every((name) => typeof name === "string")) return undefined;
  if (!isNumberArray(levels) || !isNumberArray(values) || !isNumberArray(selfs)) return undefined;
  const count = names.length;
  if (levels.length !== count || values.length !== count || selfs.length !== count) return undefined;
  // A nested set starts at level 0 and never skips a level going down.
  for (let i = 0; i < count; i += 1) {
    const level = levels[i] as number;
    if (i === 0 ? level !== 0 : level < 1 || level > (levels[i - 1] as number) + 1) return undefined;
  }
  return {
    names: names as string[],
    levels,
    values,
    selfs,
    total: readNumber(object, "total"),
    truncated: readBoolean(object, "truncated"),
    from: readString(object, "from"),
    to: readString(object, "to"),
  };
}

/** Adds parents, offsets and subtree ends to the API's columns in one pass. */
export function buildFlameTree(
  data: Pick<FlameGraphData, "names" | "levels" | "values" | "selfs">,
): FlameTree {
  const count = data.names.length;
  const parents = new Array<number>(count);
  const starts = new Array<number>(count);
  const ends = new Array<number>(count).fill(count);
  // path[level] is the open frame at that level; nextStart[level] where its next child begins.
  const path: number[] = [];
  const nextStart: number[] = [];
  let maxLevel = 0;
  for (let i = 0; i < count; i += 1) {
    const level = data.levels[i] as number;
    // Frames deeper than or level with this one are closed: their subtrees end here.
    while (path.length > level) ends[path.pop() as number] = i;
    nextStart.length = level + 1;
    const parent = level === 0 ? -1 : (path[level - 1] as number);
    parents[i] = parent;
    const start = level === 0 ? 0 : (nextStart[level - 1] as number);
    starts[i] = start;
    if (level > 0) nextStart[level - 1] = start + (data.values[i] as number);
    nextStart[level] = start;
    path.push(i);
    if (level > maxLevel) maxLevel = level;
  }
  return {
    names: data.names,
    levels: data.levels,
    values: data.values,
    selfs: data.selfs,
    parents,
    starts,
    ends,
    maxLevel,
    total: count === 0 ? 0 : (data.values[0] as number),
  };
}

/** The frames from the root down to `index`, root first. */
export function pathTo(tree: FlameTree, index: number): number[] {
  const path: number[] = [];
  for (let i = index; i >= 0; i = tree.parents[i] as number) path.unshift(i);
  return path;
}

/** The frame at a path of names below the root (what the URL keeps); -1 when gone. */
export function findPath(tree: FlameTree, names: readonly string[]): number {
  if (tree.names.length === 0) return -1;
  let current = 0;
  for (const name of names) {
    let found = -1;
    for (
      let child = current + 1;
      child < (tree.ends[current] as number);
      child = tree.ends[child] as number
    ) {
      if (tree.names[child] === name) {
        found = child;
        break;
      }
    }
    if (found < 0) return -1;
    current = found;
  }
  return current;
}

/** The names from below the root down to `index`: a frame's address that survives a refresh. */
export function namePath(tree: FlameTree, index: number): string[] {
  return pathTo(tree, index)
    .slice(1)
    .map((i) => tree.names[i] as string);
}

export function toNode(tree: FlameTree, index = 0): FlameNode {
  const children: FlameNode[] = [];
  for (let child = index + 1; child < (tree.ends[index] as number); child = tree.ends[child] as number) {
    children.push(toNode(tree, child));
  }
  return {
    name: tree.names[index] as string,
    value: tree.values[index] as number,
    self: tree.selfs[index] as number,
    children,
  };
}

/** Depth-first columns of a node tree, children in name order as the collector sorts them. */
export function fromNode(root: FlameNode): FlameTree {
  const data = {
    names: [] as string[],
    levels: [] as number[],
    values: [] as number[],
    selfs: [] as number[],
  };
  const emit = (node: FlameNode, level: number) => {
    data.names.push(node.name);
    data.levels.push(level);
    data.values.push(node.value);
    data.selfs.push(node.self);
    const children = [...node.children].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) emit(child, level + 1);
  };
  emit(root, 0);
  return buildFlameTree(data);
}

/** Adds `source` into `target` by name, recursively (both describe the same position). */
export function mergeInto(target: FlameNode, source: FlameNode): void {
  target.value += source.value;
  target.self += source.self;
  for (const child of source.children) {
    const existing = target.children.find((candidate) => candidate.name === child.name);
    if (existing) mergeInto(existing, child);
    else target.children.push(cloneNode(child));
  }
}

export function cloneNode(node: FlameNode): FlameNode {
  return { name: node.name, value: node.value, self: node.self, children: node.children.map(cloneNode) };
}
