// Hide and unhealthy-only: which of the map's nodes and edges stay. The table view and
// the export read this result too, so they list what the map shows, before grouping.
import { isUnhealthy } from "./colorScale";
import type { Expression, ExpressionSubject } from "./mapExpression";
import { matchesExpression } from "./mapExpression";
import type { MapModel, ModelEdge, ModelNode } from "./mapModel";

export interface MapFilterOptions {
  hide?: Expression | undefined;
  unhealthyOnly?: boolean;
}

export interface FilteredMap {
  nodes: ModelNode[];
  edges: ModelEdge[];
}

export function nodeSubject(node: ModelNode): ExpressionSubject {
  return {
    names: [node.id, node.label],
    namespaces: [node.namespace],
    kinds: [node.kind],
    protocols: node.protocols,
    requestCount: node.requestCount,
    rate: node.rate,
    errorRatio: node.errorRatio,
    p50Ms: node.p50Ms,
    p99Ms: node.p99Ms,
  };
}

/** An edge answers text comparisons for either end (ns=shop: a call into or out of shop). */
export function edgeSubject(edge: ModelEdge, nodes: ReadonlyMap<string, ModelNode>): ExpressionSubject {
  const ends = [nodes.get(edge.source), nodes.get(edge.target)].filter(
    (n): n is ModelNode => n !== undefined,
  );
  return {
    names: ends.flatMap((n) => [n.id, n.label]),
    namespaces: ends.map((n) => n.namespace),
    kinds: ends.map((n) => n.kind),
    protocols: edge.protocols,
    requestCount: edge.requestCount,
    rate: edge.rate,
    errorRatio: edge.errorRatio,
    p50Ms: edge.p50Ms,
    p99Ms: edge.p99Ms,
  };
}

/**
 * Hide removes matching nodes (with their edges) and matching edges. Unhealthy-only then
 * keeps unhealthy edges and the nodes that are unhealthy or join one.
 */
export function filterMap(model: MapModel, options: MapFilterOptions): FilteredMap {
  const byId = new Map(model.nodes.map((node) => [node.id, node]));
  const hide = options.hide;
  let nodes = hide ? model.nodes.filter((node) => !matchesExpression(hide, nodeSubject(node))) : model.nodes;
  const kept = new Set(nodes.map((node) => node.id));
  let edges = model.edges.filter(
    (edge) =>
      kept.has(edge.source) &&
      kept.has(edge.target) &&
      !(hide && matchesExpression(hide, edgeSubject(edge, byId))),
  );
  if (options.unhealthyOnly) {
    edges = edges.filter((edge) => isUnhealthy(edge));
    const joined = new Set(edges.flatMap((edge) => [edge.source, edge.target]));
    nodes = nodes.filter((node) => joined.has(node.id) || isUnhealthy(node));
  }
  return { nodes, edges };
}
