// The map as the view works on it: the /api/v1/map response with each node's and
// edge's rate, error ratio and latency derived once, so that expressions, colours,
// labels, the table and the export all read the same figures.
import { asObject, readArray, readNumber, readString } from "../api/jsonFields";

export type ModelNodeKind = "service" | "external" | "namespace";

/** Figures every map element carries; what expressions and colours read. */
export interface MapFigures {
  requestCount: number;
  errorCount: number;
  /** Requests per second over the map's range. */
  rate: number;
  /** errorCount / requestCount; 0 without requests. */
  errorRatio: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ModelNode extends MapFigures {
  id: string;
  label: string;
  kind: ModelNodeKind;
  /** Kubernetes namespace; "" when unknown. */
  namespace: string;
  /** Protocols of the calls it serves or makes. */
  protocols: string[];
}

export interface ModelEdge extends MapFigures {
  id: string;
  source: string;
  target: string;
  protocols: string[];
}

export interface MapModel {
  from: string;
  to: string;
  rangeSeconds: number;
  nodes: ModelNode[];
  edges: ModelEdge[];
}

/**
 * A /api/v1/map body → MapModel, or undefined when it is not a map response. A node's
 * requests and errors are what the API counted for it (the calls it served); its
 * latency is the worst p99 (and p50) of the calls into it, the figure a caller feels.
 * An edge to a peer the node list lacks gets an external node, so no edge dangles.
 */
export function mapModelOf(body: unknown): MapModel | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.nodes) || !Array.isArray(root.edges)) return undefined;
  const from = readString(root, "from");
  const to = readString(root, "to");
  const rangeSeconds = secondsBetween(from, to);
  const nodes = new Map<string, ModelNode>();
  for (const raw of readArray(root, "nodes")) {
    const object = asObject(raw);
    const id = object ? readString(object, "id") : "";
    if (!object || id === "" || nodes.has(id)) continue;
    const kind = readString(object, "kind");
    nodes.set(id, {
      id,
      label: readString(object, "label") || id,
      kind: kind === "external" || kind === "namespace" ? kind : "service",
      namespace: readString(object, "namespace") || namespaceFromName(id, kind),
      protocols: [],
      ...figures(readNumber(object, "requestCount"), readNumber(object, "errorCount"), 0, 0, rangeSeconds),
    });
  }
  const edges = new Map<string, ModelEdge>();
  for (const raw of readArray(root, "edges")) {
    const object = asObject(raw);
    if (!object) continue;
    const source = readString(object, "source");
    const target = readString(object, "target");
    if (source === "" || target === "") continue;
    const id = readString(object, "id") || `${source}->${target}`;
    if (edges.has(id)) continue;
    const protocols = readArray(object, "protocols").filter((p): p is string => typeof p === "string");
    const edge: ModelEdge = {
      id,
      source,
      target,
      protocols,
      ...figures(
        readNumber(object, "requestCount"),
        readNumber(object, "errorCount"),
        readNumber(object, "p50Ms"),
        readNumber(object, "p99Ms"),
        rangeSeconds,
      ),
    };
    edges.set(id, edge);
    for (const end of [source, target]) {
      if (!nodes.has(end)) {
        nodes.set(end, {
          id: end,
          label: end,
          kind: "external",
          namespace: "",
          protocols: [],
          ...figures(0, 0, 0, 0, rangeSeconds),
        });
      }
    }
    const callee = nodes.get(target);
    if (callee) {
      callee.p50Ms = Math.max(callee.p50Ms, edge.p50Ms);
      callee.p99Ms = Math.max(callee.p99Ms, edge.p99Ms);
    }
    for (const end of [nodes.get(source), callee]) {
      if (!end) continue;
      for (const protocol of protocols) if (!end.protocols.includes(protocol)) end.protocols.push(protocol);
    }
  }
  return { from, to, rangeSeconds, nodes: [...nodes.values()], edges: [...edges.values()] };
}

export function figures(
  requestCount: number,
  errorCount: number,
  p50Ms: number,
  p99Ms: number,
  rangeSeconds: number,
): MapFigures {
  return {
    requestCount,
    errorCount,
    rate: rangeSeconds > 0 ? requestCount / rangeSeconds : 0,
    errorRatio: requestCount > 0 ? errorCount / requestCount : 0,
    p50Ms,
    p99Ms,
  };
}

/**
 * A service named "<namespace>/<workload>" is in that namespace when the API sent none:
 * that is how the collector names Kubernetes workloads (src/kubernetes/decorate.ts), and
 * the demo names its processes the same way outside Kubernetes.
 */
export function namespaceFromName(id: string, kind: string): string {
  if (kind === "external") return "";
  const slash = id.indexOf("/");
  return slash > 0 && slash === id.lastIndexOf("/") && slash < id.length - 1 ? id.slice(0, slash) : "";
}

/** Seconds from one ISO instant to another; 0 when either is missing or unreadable. */
function secondsBetween(from: string, to: string): number {
  const seconds = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}
