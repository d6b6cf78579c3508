// Builds a flame graph from (stack, samples) pairs as a nested set in
// depth-first order — level, value (inclusive) and self per node — the shape
// the UI's flame graph draws from without rebuilding a tree (Grafana's and
// Parca's columnar layout). Siblings are sorted by name so the picture is
// stable across refreshes.
export interface FlameGraph {
  names: string[];
  levels: number[];
  values: number[];
  selfs: number[];
  total: number;
  /** Nodes below minValue were folded into their parent's self time. */
  truncated: boolean;
  /**
   * A diff's other range, over the same nodes (a node only one range has is 0
   * in the other): compare value/total with baseline.values/baseline.total.
   */
  baseline?: { total: number; values: number[]; selfs: number[] };
}

export interface StackSamples {
  frames: readonly string[];
  samples: number;
}

interface TreeNode {
  name: string;
  value: number;
  self: number;
  baseValue: number;
  baseSelf: number;
  children: Map<string, TreeNode>;
}

function node(name: string): TreeNode {
  return { name, value: 0, self: 0, baseValue: 0, baseSelf: 0, children: new Map() };
}

/**
 * @param stacks root-first frame lists with their sample counts
 * @param maxNodes upper bound on nodes returned; smaller subtrees are folded first
 * @param baseline a diff's other range: its stacks join the same tree
 */
export function buildFlameGraph(
  stacks: Iterable<StackSamples>,
  maxNodes = 20_000,
  baseline?: Iterable<StackSamples>,
): FlameGraph {
  const root = node("total");
  let nodeCount = 1;
  const add = (frames: readonly string[], samples: number, into: "value" | "baseValue") => {
    const self = into === "value" ? "self" : "baseSelf";
    root[into] += samples;
    let current = root;
    for (const frame of frames) {
      let child = current.children.get(frame);
      if (child === undefined) {
        child = node(frame);
        current.children.set(frame, child);
        nodeCount += 1;
      }
      child[into] += samples;
      current = child;
    }
    current[self] += samples;
  };
  for (const { frames, samples } of stacks) add(frames, samples, "value");
  for (const { frames, samples } of baseline ?? []) add(frames, samples, "baseValue");
  // A node matters by what it weighs in either range.
  const weight = (n: TreeNode) => Math.max(n.value, n.baseValue);
  // Drop the least significant subtrees until the bound holds: a node is kept
  // when its value reaches minValue, an absolute threshold found by doubling.
  let minValue = 0;
  let truncated = false;
  const countAbove = (threshold: number) => {
    let count = 0;
    const walk = (n: TreeNode) => {
      count += 1;
      for (const child of n.children.values()) if (weight(child) >= threshold) walk(child);
    };
    walk(root);
    return count;
  };
  if (nodeCount > maxNodes) {
    minValue = 1;
    while (countAbove(minValue) > maxNodes) minValue *= 2;
    truncated = true;
  }
  const graph: FlameGraph = { names: [], levels: [], values: [], selfs: [], total: root.value, truncated };
  const base =
    baseline === undefined
      ? undefined
      : { total: root.baseValue, values: [] as number[], selfs: [] as number[] };
  if (base !== undefined) graph.baseline = base;
  const emit = (n: TreeNode, level: number) => {
    const kept = [...n.children.values()].filter((child) => weight(child) >= minValue);
    let folded = 0;
    let baseFolded = 0;
    for (const child of n.children.values()) {
      if (weight(child) >= minValue) continue;
      folded += child.value;
      baseFolded += child.baseValue;
    }
    graph.names.push(n.name);
    graph.levels.push(level);
    graph.values.push(n.value);
    graph.selfs.push(n.self + folded);
    base?.values.push(n.baseValue);
    base?.selfs.push(n.baseSelf + baseFolded);
    kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of kept) emit(child, level + 1);
  };
  emit(root, 0);
  return graph;
}
