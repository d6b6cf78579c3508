// A large flame graph in the shape GET /api/v1/flamegraph returns, for the
// flame page's size test (e2e/flame.spec.ts): no profiler writes real profiles yet.

/**
 * A deterministic graph of `target` frames with unique names. Frames are split
 * breadth first (each into 1–5 children holding 30–90 % of what is left), so the
 * big frames near the root are split before the budget runs out, as in a real
 * profile where most frames are tiny; then it is written depth first, the API's order.
 */
export function syntheticGraph(target: number, range: { from: string; to: string }) {
  let seed = 1;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  interface Node {
    value: number;
    children: Node[];
  }
  const root: Node = { value: 10_000_000, children: [] };
  const queue = [root];
  let count = 1;
  for (let head = 0; head < queue.length && count < target; head += 1) {
    const node = queue[head] as Node;
    let remaining = node.value;
    const children = 1 + Math.floor(random() * 5);
    for (let c = 0; c < children && count < target; c += 1) {
      const value = Math.floor(remaining * (0.3 + random() * 0.6));
      if (value < 10) break;
      const child = { value, children: [] };
      node.children.push(child);
      queue.push(child);
      remaining -= value;
      count += 1;
    }
  }
  const graph = {
    names: [] as string[],
    levels: [] as number[],
    values: [] as number[],
    selfs: [] as number[],
  };
  const emit = (node: Node, level: number) => {
    graph.names.push(graph.names.length === 0 ? "total" : `fn_${graph.names.length}`);
    graph.levels.push(level);
    graph.values.push(node.value);
    graph.selfs.push(node.value - node.children.reduce((sum, child) => sum + child.value, 0));
    for (const child of node.children) emit(child, level + 1);
  };
  emit(root, 0);
  return { ...range, total: root.value, truncated: false, ...graph };
}
