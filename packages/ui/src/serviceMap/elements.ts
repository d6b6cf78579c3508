// Cytoscape element descriptors as the service map uses them. Data fields are flat
// primitives so that two descriptors can be compared field by field; colours come from
// `tone` through the stylesheet, so a health change is a data update, not a style rebuild.
import type { Tone } from "./colorScale";

/**
 * service / external: one peer; namespace: a collapsed namespace (or the external
 * peers) drawn as one node; hidden: an "N hidden" marker; group: a namespace box
 * (a Cytoscape compound node).
 */
export type NodeKind = "service" | "external" | "namespace" | "hidden" | "group";

/** Find highlights matching elements and dims the rest; without a find, "". */
export type Match = "found" | "dimmed" | "";

export type NodeData = {
  id: string;
  label: string;
  kind: NodeKind;
  /** Id of the enclosing namespace box; Cytoscape's compound-node field. */
  parent?: string;
  /** Group key: the namespace, "(external)" or "" (see grouping.ts). */
  group: string;
  /** Services a collapsed namespace or a hidden marker stands for; 1 otherwise. */
  memberCount: number;
  requestCount: number;
  errorCount: number;
  rate: number;
  errorRatio: number;
  p99Ms: number;
  tone: Tone;
  match: Match;
  /** Map diff only: a node that appeared or vanished between the two ranges. */
  diff?: "new" | "vanished";
};

export type EdgeData = {
  id: string;
  source: string;
  target: string;
  label: string;
  protocols: string;
  requestCount: number;
  errorCount: number;
  rate: number;
  errorRatio: number;
  p50Ms: number;
  p99Ms: number;
  tone: Tone;
  match: Match;
  /** Original edges this one merges (when an end is collapsed or hidden); 1 otherwise. */
  memberCount: number;
  /** Map diff only: how the call changed between the two ranges. */
  diff?: "new" | "vanished" | "worse" | "better" | "mixed" | "unchanged";
  /** A call the other way between the same two ends exists too: drawn curved so both show. */
  twoWay?: boolean;
};

export type NodeElement = { group: "nodes"; data: NodeData };
export type EdgeElement = { group: "edges"; data: EdgeData };
export type GraphElement = NodeElement | EdgeElement;

/**
 * The data fields the canvas draws from (serviceMapStyle's selectors and mappers) or
 * that move an element (ends, box). A change in any other field (request counts, rates,
 * latencies) changes nothing on screen, so the map does not restyle for it.
 */
export const DRAWN_FIELDS: ReadonlySet<string> = new Set([
  "id",
  "source",
  "target",
  "parent",
  "group",
  "label",
  "kind",
  "tone",
  "match",
  "diff",
  "twoWay",
]);

/**
 * Sets `twoWay` on every edge: true where its reverse (same ends, other direction) is
 * drawn too. Always set, since Cytoscape's data() merges and would keep a stale true.
 */
export function markTwoWayEdges(elements: GraphElement[]): GraphElement[] {
  const pairs = new Set<string>();
  for (const element of elements) {
    if (element.group === "edges") pairs.add(`${element.data.source}\u0000${element.data.target}`);
  }
  for (const element of elements) {
    if (element.group !== "edges") continue;
    const { source, target } = element.data;
    element.data.twoWay = source !== target && pairs.has(`${target}\u0000${source}`);
  }
  return elements;
}
