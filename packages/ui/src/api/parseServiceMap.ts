import { asObject, readArray, readNumber, readString } from "./jsonFields";
import type { MapEdge, MapNode, ServiceMap } from "./types";

/**
 * Turns a /api/v1/map response body into a ServiceMap. Entries without an id (or
 * edges without both ends) are dropped rather than guessed; missing counters read as 0.
 * Returns undefined when the body is not a map response at all.
 */
export function parseServiceMap(body: unknown): ServiceMap | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.nodes) || !Array.isArray(root.edges)) return undefined;
  return {
    from: readString(root, "from"),
    to: readString(root, "to"),
    nodes: readArray(root, "nodes").flatMap((raw) => {
      const node = parseNode(raw);
      return node ? [node] : [];
    }),
    edges: readArray(root, "edges").flatMap((raw) => {
      const edge = parseEdge(raw);
      return edge ? [edge] : [];
    }),
  };
}

function parseNode(raw: unknown): MapNode | undefined {
  const object = asObject(raw);
  if (!object) return undefined;
  const id = readString(object, "id");
  if (id === "") return undefined;
  return {
    id,
    label: readString(object, "label", id) || id,
    kind: object.kind === "external" ? "external" : "service",
    requestCount: readNumber(object, "requestCount"),
    errorCount: readNumber(object, "errorCount"),
  };
}

function parseEdge(raw: unknown): MapEdge | undefined {
  const object = asObject(raw);
  if (!object) return undefined;
  const source = readString(object, "source");
  const target = readString(object, "target");
  if (source === "" || target === "") return undefined;
  return {
    id: readString(object, "id") || `${source}->${target}`,
    source,
    target,
    protocols: readArray(object, "protocols").filter((p): p is string => typeof p === "string"),
    requestCount: readNumber(object, "requestCount"),
    errorCount: readNumber(object, "errorCount"),
    p50Ms: readNumber(object, "p50Ms"),
    p99Ms: readNumber(object, "p99Ms"),
  };
}
