// Named fixtures for the flame graph tests: the collector's own builder
// (collector/src/query/flame-tree.ts) run over hand-written stacks of a Node
// service, saved as /api/v1/flamegraph answers in src/fixtures/.
//   before: 1,000 samples — isPrime 30 %, JSON work, a recursive walk, epoll in the kernel, GC 10 %
//   after:  2,000 samples — isPrime 50 %, parseBody gone, GC still 10 %
import afterBody from "../fixtures/flame-checkout-after.json";
import beforeBody from "../fixtures/flame-checkout-before.json";
import { buildFlameTree, type FlameTree, parseFlameGraph } from "./flameTree";

function load(body: unknown): FlameTree {
  const data = parseFlameGraph(body);
  if (!data) throw new Error("fixture does not parse as a flame graph");
  return buildFlameTree(data);
}

export const checkoutBefore = (): FlameTree => load(beforeBody);
export const checkoutAfter = (): FlameTree => load(afterBody);

/** Index of the first frame with this name (fixtures name their frames uniquely where tests need it). */
export function indexOf(tree: FlameTree, name: string, nth = 0): number {
  let seen = 0;
  for (let i = 0; i < tree.names.length; i += 1) {
    if (tree.names[i] === name) {
      if (seen === nth) return i;
      seen += 1;
    }
  }
  throw new Error(`no frame ${name} #${nth}`);
}
