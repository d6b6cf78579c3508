// Service map over the per-minute edge roll-up: one edge per (client, server)
// pair with RED figures.
//
// Both ends of a call can be observed (one row each, side=client/server). Per
// edge the client-side figures count when the edge has any in the range — the
// caller's view includes network time and calls to servers without an agent —
// otherwise the server-side ones, so a call seen at both ends counts once.
// One scan computes both sides' aggregates; the choice is made per edge below.
import type { QueryParams, Storage } from "../storage/storage.js";
import { type ObservedSide, sideAggregatesSql, sideFigures } from "./rollup-range.js";
import { rollupSource } from "./rollup-source.js";
import type { TimeRange } from "./time-range.js";

export interface ServiceMapNode {
  id: string;
  label: string;
  kind: "service" | "external" | "namespace";
  /** Kubernetes namespace; absent when unknown (on a host, or no metadata). */
  namespace?: string;
  requestCount: number;
  errorCount: number;
}

export interface ServiceMapEdge {
  id: string;
  source: string;
  target: string;
  protocols: string[];
  requestCount: number;
  errorCount: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Which end's observation these figures come from. */
  observedFrom: ObservedSide;
}

export interface ServiceMap {
  nodes: ServiceMapNode[];
  edges: ServiceMapEdge[];
}

export interface ServiceMapFilter {
  range: TimeRange;
  protocol?: string;
  /** Only edges with at least one error (and the nodes they join). */
  errorsOnly?: boolean;
  /** Node names (or namespaces when grouped) left out with every edge touching them. */
  hidden?: readonly string[];
  /** Only edges with an end in this namespace. */
  namespace?: string;
  /**
   * Only edges with an end that is this workload (or Service), in any
   * namespace, or in `namespace` when given: a decorated end is named
   * "<namespace>/<workload>" (src/kubernetes/decorate.ts).
   */
  workload?: string;
  /** "namespace": one node per namespace ("" is shown as "(none)"). */
  groupBy?: "service" | "namespace";
}

interface EdgeAggregateRow extends Record<string, unknown> {
  client_name: string;
  server_name: string;
  /** Namespaces named with a different alias than the columns: an alias would shadow them in WHERE. */
  client_ns: string;
  server_ns: string;
  client_named: number;
  server_named: number;
  client_protocols: string[];
  server_protocols: string[];
}

export const NO_NAMESPACE = "(none)";

function edgeAggregatesSql(filter: ServiceMapFilter): { sql: string; params: QueryParams } {
  const byNamespace = filter.groupBy === "namespace";
  // Grouping columns are fixed SQL chosen here, never request text.
  const clientKey = byNamespace
    ? `if(client_namespace = '', '${NO_NAMESPACE}', client_namespace)`
    : "client_name";
  const serverKey = byNamespace
    ? `if(server_namespace = '', '${NO_NAMESPACE}', server_namespace)`
    : "server_name";
  const conditions: string[] = [];
  if (filter.protocol !== undefined) conditions.push("protocol = {protocol:String}");
  if (filter.namespace !== undefined) {
    conditions.push("(client_namespace = {namespace:String} OR server_namespace = {namespace:String})");
  }
  if (filter.workload !== undefined) {
    // The roll-ups keep names, not workloads: "<namespace>/<workload>" when the
    // namespace is given, else any name with the "/<workload>" tail.
    conditions.push(
      filter.namespace !== undefined
        ? "(client_name = {workload_name:String} OR server_name = {workload_name:String})"
        : "(endsWith(client_name, {workload_tail:String}) OR endsWith(server_name, {workload_tail:String}))",
    );
  }
  const having =
    filter.hidden !== undefined && filter.hidden.length > 0
      ? "HAVING client_key NOT IN {hidden:Array(String)} AND server_key NOT IN {hidden:Array(String)}"
      : "";
  const source = rollupSource("edges", filter.range, conditions);
  const sql = `
SELECT
  ${clientKey} AS client_key,
  ${serverKey} AS server_key,
  anyIf(client_namespace, client_namespace != '') AS client_ns,
  anyIf(server_namespace, server_namespace != '') AS server_ns,
  max(client_named) AS client_named,
  max(server_named) AS server_named,
  ${sideAggregatesSql("client")},
  groupUniqArrayIf(protocol, side = 'client') AS client_protocols,
  ${sideAggregatesSql("server")},
  groupUniqArrayIf(protocol, side = 'server') AS server_protocols
FROM ${source.sql}
GROUP BY client_key, server_key
${having}
ORDER BY client_key, server_key`;
  return { sql, params: source.params };
}

function toEdge(row: EdgeAggregateRow): ServiceMapEdge {
  const client = sideFigures(row, "client");
  const observedFrom: ObservedSide = client.requests > 0 ? "client" : "server";
  const figures = observedFrom === "client" ? client : sideFigures(row, "server");
  return {
    id: `${row.client_key}->${row.server_key}`,
    source: String(row.client_key),
    target: String(row.server_key),
    protocols: [...(observedFrom === "client" ? row.client_protocols : row.server_protocols)].sort(),
    requestCount: figures.requests,
    errorCount: figures.errors,
    p50Ms: figures.p50Ms,
    p90Ms: figures.p90Ms,
    p99Ms: figures.p99Ms,
    meanMs: figures.meanMs,
    observedFrom,
  };
}

/** Nodes are the edges' ends; a node's counts are the requests it served. */
function nodesOf(
  rows: readonly EdgeAggregateRow[],
  edges: readonly ServiceMapEdge[],
  byNamespace: boolean,
): ServiceMapNode[] {
  const nodes = new Map<string, ServiceMapNode>();
  const touch = (id: string, named: boolean, namespace: string) => {
    const existing = nodes.get(id);
    if (existing) {
      if (named && existing.kind === "external") existing.kind = "service";
      if (existing.namespace === undefined && namespace !== "") existing.namespace = namespace;
      return existing;
    }
    const kind = byNamespace ? "namespace" : named ? "service" : "external";
    const node: ServiceMapNode = { id, label: id, kind, requestCount: 0, errorCount: 0 };
    if (namespace !== "" && !byNamespace) node.namespace = namespace;
    nodes.set(id, node);
    return node;
  };
  edges.forEach((edge, index) => {
    const row = rows[index];
    if (row === undefined) return;
    touch(edge.source, Number(row.client_named) === 1, row.client_ns ?? "");
    const server = touch(edge.target, Number(row.server_named) === 1, row.server_ns ?? "");
    server.requestCount += edge.requestCount;
    server.errorCount += edge.errorCount;
  });
  return [...nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export async function queryServiceMap(storage: Storage, filter: ServiceMapFilter): Promise<ServiceMap> {
  const { sql, params: sourceParams } = edgeAggregatesSql(filter);
  const params: QueryParams = { ...sourceParams };
  if (filter.protocol !== undefined) params.protocol = filter.protocol;
  if (filter.namespace !== undefined) params.namespace = filter.namespace;
  if (filter.workload !== undefined) params.workload_tail = `/${filter.workload}`;
  if (filter.workload !== undefined && filter.namespace !== undefined) {
    params.workload_name = `${filter.namespace}/${filter.workload}`;
  }
  if (filter.hidden !== undefined && filter.hidden.length > 0) params.hidden = filter.hidden;
  const rows = await storage.select<EdgeAggregateRow>(sql, params);
  let edges = rows.map(toEdge);
  let kept = rows;
  if (filter.errorsOnly === true) {
    const keep = edges.map((edge) => edge.errorCount > 0);
    edges = edges.filter((_edge, index) => keep[index]);
    kept = rows.filter((_row, index) => keep[index]);
  }
  return { nodes: nodesOf(kept, edges, filter.groupBy === "namespace"), edges };
}
