// What a tooltip and the "top functions" table say about frames: self (samples
// in the frame itself) and total (samples in it and everything it called).
import type { FlameTree } from "./flameTree";
import { isScopeFrame } from "./scopes";

export interface FrameStats {
  name: string;
  self: number;
  total: number;
  /** Shares of the whole graph's samples, 0–1. */
  selfShare: number;
  totalShare: number;
  /** Share of the parent's samples; 1 for the root. */
  parentShare: number;
}

export function frameStats(tree: FlameTree, index: number): FrameStats {
  const root = tree.values[0] as number;
  const total = tree.values[index] as number;
  const self = tree.selfs[index] as number;
  const parent = tree.parents[index] as number;
  const parentValue = parent < 0 ? total : (tree.values[parent] as number);
  return {
    name: tree.names[index] as string,
    self,
    total,
    selfShare: root > 0 ? self / root : 0,
    totalShare: root > 0 ? total / root : 0,
    parentShare: parentValue > 0 ? total / parentValue : 0,
  };
}

export interface FunctionSummary {
  name: string;
  self: number;
  /** Samples with this function anywhere on the stack, recursion counted once. */
  total: number;
}

/**
 * Functions by self time, merged across every place they occur (Pyroscope's
 * "top table"). A function's total skips frames that have the same function
 * above them, so recursion does not count a sample twice. The root and the
 * synthetic scope frames ("service: …") are left out: they are not code.
 */
export function topFunctions(tree: FlameTree, limit = Number.POSITIVE_INFINITY): FunctionSummary[] {
  const byName = new Map<string, FunctionSummary>();
  // Names open on the current path with their depth count, to spot recursion in one pass.
  const onPath = new Map<string, number>();
  const path: number[] = [];
  for (let i = 1; i < tree.names.length; i += 1) {
    while (path.length > 0 && (tree.ends[path[path.length - 1] as number] as number) <= i) {
      const closed = tree.names[path.pop() as number] as string;
      const depth = (onPath.get(closed) as number) - 1;
      if (depth === 0) onPath.delete(closed);
      else onPath.set(closed, depth);
    }
    const name = tree.names[i] as string;
    let summary = byName.get(name);
    if (!summary) {
      summary = { name, self: 0, total: 0 };
      byName.set(name, summary);
    }
    summary.self += tree.selfs[i] as number;
    if (!onPath.has(name)) summary.total += tree.values[i] as number;
    onPath.set(name, (onPath.get(name) ?? 0) + 1);
    path.push(i);
  }
  return [...byName.values()]
    .filter((row) => !isScopeFrame(row.name))
    .sort((a, b) => b.self - a.self || b.total - a.total || (a.name < b.name ? -1 : 1))
    .slice(0, limit);
}
