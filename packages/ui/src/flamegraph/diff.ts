// Diff of two ranges' flame graphs (Coroot's comparison, Pyroscope's diff view).
// Each range is normalised by its own sample count first: a range twice as long
// or twice as busy is not "twice as slow". A frame's width is the mean of its
// two shares, so frames present in only one range still show; its colour is the
// change in its share of all samples (total), red where the comparison spends a
// larger share there (a regression), green where smaller (an improvement).
import { type FlameNode, type FlameTree, fromNode, toNode } from "./flameTree";
import { topFunctions } from "./frameStats";

export interface DiffTree {
  /** Widths (mean share of the two ranges; the root is 1) and names for layout and search. */
  tree: FlameTree;
  /** Raw samples per frame, index-aligned with tree. */
  baseline: { total: number[]; self: number[] };
  comparison: { total: number[]; self: number[] };
  /** comparison share − baseline share of each frame's total, −1…1. */
  delta: number[];
  /** The largest |delta| below the root, which the colour scale saturates at. */
  maxAbsDelta: number;
  baselineSamples: number;
  comparisonSamples: number;
  /** Per function, merged across the graph, largest change first: the diff as a table. */
  functions: FunctionChange[];
}

export interface FunctionChange {
  name: string;
  /** Share of samples with the function on the stack (recursion once), 0–1. */
  baselineShare: number;
  comparisonShare: number;
  delta: number;
}

interface Side {
  total: number;
  self: number;
}
interface MergedNode {
  name: string;
  b: Side;
  c: Side;
  children: Map<string, MergedNode>;
}

function merged(name: string): MergedNode {
  return { name, b: { total: 0, self: 0 }, c: { total: 0, self: 0 }, children: new Map() };
}

function addSide(target: MergedNode, node: FlameNode, side: "b" | "c"): void {
  target[side].total += node.value;
  target[side].self += node.self;
  for (const child of node.children) {
    let next = target.children.get(child.name);
    if (!next) {
      next = merged(child.name);
      target.children.set(child.name, next);
    }
    addSide(next, child, side);
  }
}

export function diffFlameTrees(baseline: FlameTree, comparison: FlameTree): DiffTree | undefined {
  const baselineSamples = baseline.names.length > 0 ? (baseline.values[0] as number) : 0;
  const comparisonSamples = comparison.names.length > 0 ? (comparison.values[0] as number) : 0;
  if (baselineSamples <= 0 || comparisonSamples <= 0) return undefined;
  const root = merged("total");
  addSide(root, toNode(baseline), "b");
  addSide(root, toNode(comparison), "c");

  // One node tree of mean shares, carrying the merged node so the columns can be read back in order.
  const origin = new Map<FlameNode, MergedNode>();
  const share = (node: MergedNode): FlameNode => {
    const flame: FlameNode = {
      name: node.name,
      value: (node.b.total / baselineSamples + node.c.total / comparisonSamples) / 2,
      self: (node.b.self / baselineSamples + node.c.self / comparisonSamples) / 2,
      children: [...node.children.values()].map(share),
    };
    origin.set(flame, node);
    return flame;
  };
  const shareRoot = share(root);
  const tree = fromNode(shareRoot);
  // fromNode emits depth-first in name order; walk the node tree the same way to align columns.
  const ordered: MergedNode[] = [];
  const walk = (node: FlameNode) => {
    ordered.push(origin.get(node) as MergedNode);
    for (const child of [...node.children].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
      walk(child);
  };
  walk(shareRoot);

  const result: DiffTree = {
    tree,
    baseline: { total: [], self: [] },
    comparison: { total: [], self: [] },
    delta: [],
    maxAbsDelta: 0,
    baselineSamples,
    comparisonSamples,
    functions: diffFunctions(baseline, comparison),
  };
  ordered.forEach((node, index) => {
    result.baseline.total.push(node.b.total);
    result.baseline.self.push(node.b.self);
    result.comparison.total.push(node.c.total);
    result.comparison.self.push(node.c.self);
    const delta = node.c.total / comparisonSamples - node.b.total / baselineSamples;
    result.delta.push(delta);
    if (index > 0) result.maxAbsDelta = Math.max(result.maxAbsDelta, Math.abs(delta));
  });
  return result;
}

/** Each function's share of samples in both ranges (topFunctions' totals), by size of change. */
export function diffFunctions(baseline: FlameTree, comparison: FlameTree): FunctionChange[] {
  const b = baseline.values[0] as number;
  const c = comparison.values[0] as number;
  const changes = new Map<string, FunctionChange>();
  for (const row of topFunctions(baseline)) {
    changes.set(row.name, { name: row.name, baselineShare: row.total / b, comparisonShare: 0, delta: 0 });
  }
  for (const row of topFunctions(comparison)) {
    const change = changes.get(row.name) ?? {
      name: row.name,
      baselineShare: 0,
      comparisonShare: 0,
      delta: 0,
    };
    change.comparisonShare = row.total / c;
    changes.set(row.name, change);
  }
  for (const change of changes.values()) change.delta = change.comparisonShare - change.baselineShare;
  return [...changes.values()].sort(
    (x, y) => Math.abs(y.delta) - Math.abs(x.delta) || (x.name < y.name ? -1 : 1),
  );
}

export type DiffKind = "regression" | "improvement" | "unchanged";

/**
 * Below half a percentage point of all samples a change is within what sampling
 * at ~100 Hz moves between two windows, so it is drawn neutral.
 */
export const UNCHANGED_BELOW = 0.005;

export function diffKind(delta: number): DiffKind {
  if (Math.abs(delta) < UNCHANGED_BELOW) return "unchanged";
  return delta > 0 ? "regression" : "improvement";
}
