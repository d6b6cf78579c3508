import type { MapEdge, MapNode, ServiceMap } from "../api/types";
import { formatCount } from "../format/formatCount";
import { formatLatency } from "../format/formatLatency";
import type { EdgeElement, GraphElement, NodeElement } from "./elements";
import { HEALTH_COLORS, healthOf } from "./health";

/**
 * API map → Cytoscape element descriptors, nodes first. Cytoscape refuses duplicate ids
 * and edges whose ends are missing, so the first occurrence of an id wins and an edge
 * to an unlisted peer gets a placeholder external node rather than being dropped.
 */
export function shapeServiceMap(map: ServiceMap): GraphElement[] {
  const nodes = new Map<string, NodeElement>();
  for (const node of map.nodes) {
    if (!nodes.has(node.id)) nodes.set(node.id, shapeNode(node));
  }
  const edges = new Map<string, EdgeElement>();
  for (const edge of map.edges) {
    if (edges.has(edge.id) || nodes.has(edge.id)) continue;
    for (const end of [edge.source, edge.target]) {
      if (!nodes.has(end) && !edges.has(end)) nodes.set(end, shapeNode(placeholderNode(end)));
    }
    edges.set(edge.id, shapeEdge(edge));
  }
  return [...nodes.values(), ...edges.values()];
}

function shapeNode(node: MapNode): NodeElement {
  const health = healthOf(node.requestCount, node.errorCount);
  return {
    group: "nodes",
    data: {
      id: node.id,
      label: node.label || node.id,
      kind: node.kind,
      requestCount: node.requestCount,
      errorCount: node.errorCount,
      health,
      color: HEALTH_COLORS[health],
    },
  };
}

function shapeEdge(edge: MapEdge): EdgeElement {
  const health = healthOf(edge.requestCount, edge.errorCount);
  return {
    group: "edges",
    data: {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      label: edgeLabel(edge),
      protocols: edge.protocols.join(", "),
      requestCount: edge.requestCount,
      errorCount: edge.errorCount,
      p50Ms: edge.p50Ms,
      p99Ms: edge.p99Ms,
      health,
      color: HEALTH_COLORS[health],
    },
  };
}

function edgeLabel(edge: MapEdge): string {
  const parts = [`${formatCount(edge.requestCount)} req`, `p99 ${formatLatency(edge.p99Ms)}`];
  if (edge.errorCount > 0) parts.push(`${formatCount(edge.errorCount)} err`);
  return parts.join(" · ");
}

function placeholderNode(id: string): MapNode {
  return { id, label: id, kind: "external", requestCount: 0, errorCount: 0 };
}
