// The sandwich view of one function: who called it (callers, drawn above it)
// and what it called (callees, drawn below), each merged across every place the
// function occurs in the graph (Pyroscope's and Grafana's sandwich). Only the
// outermost occurrence on a stack counts, so recursion does not count twice.
import { cloneNode, type FlameNode, type FlameTree, fromNode, mergeInto, toNode } from "./flameTree";

export interface Sandwich {
  /** Rooted at the function; children are its callers, then their callers. */
  callers: FlameTree;
  /** Rooted at the function; children are what it called. */
  callees: FlameTree;
  /** Samples with the function on the stack. */
  total: number;
  occurrences: number;
}

export function buildSandwich(tree: FlameTree, name: string): Sandwich | undefined {
  const callees: FlameNode = { name, value: 0, self: 0, children: [] };
  const callers: FlameNode = { name, value: 0, self: 0, children: [] };
  let occurrences = 0;
  for (let i = 1; i < tree.names.length; ) {
    if (tree.names[i] !== name) {
      i += 1;
      continue;
    }
    occurrences += 1;
    mergeInto(callees, toNode(tree, i));
    // Callers, nearest first, without the graph's synthetic "total" root.
    const value = tree.values[i] as number;
    let node = callers;
    node.value += value;
    for (let parent = tree.parents[i] as number; parent > 0; parent = tree.parents[parent] as number) {
      const callerName = tree.names[parent] as string;
      let next = node.children.find((child) => child.name === callerName);
      if (!next) {
        next = { name: callerName, value: 0, self: 0, children: [] };
        node.children.push(next);
      }
      next.value += value;
      node = next;
    }
    // The outermost caller is where these stacks began: in a callers tree, "self"
    // means "no caller above", so value = self + children's values holds as in any tree.
    node.self += value;
    i = tree.ends[i] as number; // nested occurrences are inside this subtree already
  }
  if (occurrences === 0) return undefined;
  return {
    callers: fromNode(callers),
    callees: fromNode(cloneNode(callees)),
    total: callees.value,
    occurrences,
  };
}
