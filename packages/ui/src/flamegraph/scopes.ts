// Synthetic root frames for a scope ("namespace: shop", "service: shop/checkout",
// "pid: 4242"), as Pixie prefixes its stacks, so graphs of several scopes share
// one picture and split at the bottom. The collector's /api/v1/flamegraph
// returns one scope's graph without such frames, so the UI asks once per scope
// and joins them here.
import { cloneNode, type FlameNode, type FlameTree, fromNode, mergeInto, toNode } from "./flameTree";

export type ScopeKind = "node" | "namespace" | "pod" | "service" | "process" | "pid";

export interface ScopeFrame {
  kind: ScopeKind;
  value: string;
}

export interface ScopedGraph {
  /** Outermost scope first, e.g. namespace then service. */
  scopes: ScopeFrame[];
  tree: FlameTree;
}

export const SCOPE_PREFIXES: readonly string[] = [
  "node",
  "namespace",
  "pod",
  "service",
  "process",
  "pid",
].map((kind) => `${kind}: `);

export function scopeFrameName(scope: ScopeFrame): string {
  return `${scope.kind}: ${scope.value}`;
}

/** The collector's own synthetic frames when asked with splitBy ("[node] a", "[service] shop/cart"). */
const API_SCOPE_FRAME = /^\[(node|namespace|service|process|pod|pid)\] /;

export function isScopeFrame(name: string): boolean {
  return SCOPE_PREFIXES.some((prefix) => name.startsWith(prefix)) || API_SCOPE_FRAME.test(name);
}

/** One tree: total → scope frames → each graph's frames (its own "total" root dropped). */
export function joinScopedGraphs(graphs: readonly ScopedGraph[]): FlameTree {
  const root: FlameNode = { name: "total", value: 0, self: 0, children: [] };
  for (const graph of graphs) {
    if (graph.tree.names.length === 0 || (graph.tree.values[0] as number) <= 0) continue;
    const source = toNode(graph.tree);
    // Wrap the graph's frames (below its root) in its scope frames, innermost first.
    let wrapped: FlameNode | undefined;
    for (let k = graph.scopes.length - 1; k >= 0; k -= 1) {
      wrapped = {
        name: scopeFrameName(graph.scopes[k] as ScopeFrame),
        value: source.value,
        self: wrapped ? 0 : source.self,
        children: wrapped ? [wrapped] : source.children.map(cloneNode),
      };
    }
    mergeInto(root, wrapped ? { name: "total", value: source.value, self: 0, children: [wrapped] } : source);
  }
  return fromNode(root);
}
