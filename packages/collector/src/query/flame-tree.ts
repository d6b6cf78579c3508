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
}

interface TreeNode {
  name: string;
  value: number;
  self: number;
  children: Map<string, TreeNode>;
}

function node(name: string): TreeNode {
  return { name, value: 0, self: 0, children: new Map() };
}

/**
 * @param stacks root-first frame lists with their sample counts
 * @param maxNodes upper bound on nodes returned; smaller subtrees are folded first
 */
export function buildFlameGraph(
  stacks: Iterable<{ frames: readonly string[]; samples: number }>,
  maxNodes = 20_000,
): FlameGraph {
  const root = node("total");
  let nodeCount = 1;
  for (const { frames, samples } of stacks) {
    root.value += samples;
    let current = root;
    for (const frame of frames) {
      let child = current.children.get(frame);
      if (child === undefined) {
        child = node(frame);
        current.children.set(frame, child);
        nodeCount += 1;
      }
      child.value += samples;
      current = child;
    }
    current.self += samples;
  }
  // Drop the least significant subtrees until the bound holds: a node is kept
  // when its value reaches minValue, an absolute threshold found by doubling.
  let minValue = 0;
  let truncated = false;
  const countAbove = (threshold: number) => {
    let count = 0;
    const walk = (n: TreeNode) => {
      count += 1;
      for (const child of n.children.values()) if (child.value >= threshold) walk(child);
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
  const emit = (n: TreeNode, level: number) => {
    const kept = [...n.children.values()].filter((child) => child.value >= minValue);
    const folded = [...n.children.values()].reduce(
      (sum, child) => (child.value >= minValue ? sum : sum + child.value),
      0,
    );
    graph.names.push(n.name);
    graph.levels.push(level);
    graph.values.push(n.value);
    graph.selfs.push(n.self + folded);
    kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of kept) emit(child, level + 1);
  };
  emit(root, 0);
  return graph;
}
