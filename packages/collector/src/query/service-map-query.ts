// Service map: one edge per (client, server) pair with RED figures.
//
// Both ends of a call can be observed (one row each, side=client/server). Per
// edge the client-side rows count when the edge has any in the range — the
// caller's view includes network time and calls to servers without an agent —
// otherwise the server-side rows, so a call seen at both ends counts once.
// One scan computes both sides' aggregates; the choice is made per edge below.
import type { Storage } from "../storage/storage.js";
import { CLIENT_NAME_SQL, SERVER_NAME_SQL } from "./service-naming.js";
import { TIME_RANGE_CONDITION, type TimeRange, timeRangeParams } from "./time-range.js";

export interface ServiceMapNode {
  id: string;
  label: string;
  kind: "service" | "external";
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
  p99Ms: number;
}

export interface ServiceMap {
  nodes: ServiceMapNode[];
  edges: ServiceMapEdge[];
}

interface EdgeAggregateRow {
  client_name: string;
  server_name: string;
  client_named: number;
  server_named: number;
  client_requests: string;
  client_errors: string;
  client_quantiles: (number | null)[];
  client_protocols: string[];
  server_requests: string;
  server_errors: string;
  server_quantiles: (number | null)[];
  server_protocols: string[];
}

const EDGE_AGGREGATES_SQL = (protocolFilter: boolean) => `
SELECT
  ${CLIENT_NAME_SQL} AS client_name,
  ${SERVER_NAME_SQL} AS server_name,
  max(client_service != '') AS client_named,
  max(server_service != '') AS server_named,
  countIf(side = 'client') AS client_requests,
  countIf(side = 'client' AND error) AS client_errors,
  quantilesIf(0.5, 0.99)(duration_ns, side = 'client') AS client_quantiles,
  groupUniqArrayIf(protocol, side = 'client') AS client_protocols,
  countIf(side = 'server') AS server_requests,
  countIf(side = 'server' AND error) AS server_errors,
  quantilesIf(0.5, 0.99)(duration_ns, side = 'server') AS server_quantiles,
  groupUniqArrayIf(protocol, side = 'server') AS server_protocols
FROM requests
WHERE ${TIME_RANGE_CONDITION}${protocolFilter ? " AND protocol = {protocol:String}" : ""}
GROUP BY client_name, server_name
ORDER BY client_name, server_name`;

function nanosToMillis(nanos: number | null | undefined): number {
  if (nanos === null || nanos === undefined || !Number.isFinite(nanos)) return 0;
  return Math.round(nanos / 1_000) / 1_000;
}

function toEdge(row: EdgeAggregateRow): ServiceMapEdge {
  const useClientSide = Number(row.client_requests) > 0;
  const quantiles = useClientSide ? row.client_quantiles : row.server_quantiles;
  return {
    id: `${row.client_name}->${row.server_name}`,
    source: row.client_name,
    target: row.server_name,
    protocols: [...(useClientSide ? row.client_protocols : row.server_protocols)].sort(),
    requestCount: Number(useClientSide ? row.client_requests : row.server_requests),
    errorCount: Number(useClientSide ? row.client_errors : row.server_errors),
    p50Ms: nanosToMillis(quantiles[0]),
    p99Ms: nanosToMillis(quantiles[1]),
  };
}

/** Nodes are the edges' ends; a node's counts are the requests it served. */
function nodesOf(rows: readonly EdgeAggregateRow[], edges: readonly ServiceMapEdge[]): ServiceMapNode[] {
  const nodes = new Map<string, ServiceMapNode>();
  const touch = (id: string, named: boolean) => {
    const existing = nodes.get(id);
    if (existing) {
      if (named) existing.kind = "service";
      return existing;
    }
    const node: ServiceMapNode = {
      id,
      label: id,
      kind: named ? "service" : "external",
      requestCount: 0,
      errorCount: 0,
    };
    nodes.set(id, node);
    return node;
  };
  rows.forEach((row, index) => {
    const edge = edges[index];
    if (edge === undefined) return;
    touch(row.client_name, Number(row.client_named) === 1);
    const server = touch(row.server_name, Number(row.server_named) === 1);
    server.requestCount += edge.requestCount;
    server.errorCount += edge.errorCount;
  });
  return [...nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export async function queryServiceMap(
  storage: Storage,
  range: TimeRange,
  protocol?: string,
): Promise<ServiceMap> {
  const params = protocol === undefined ? timeRangeParams(range) : { ...timeRangeParams(range), protocol };
  const rows = await storage.select<EdgeAggregateRow>(EDGE_AGGREGATES_SQL(protocol !== undefined), params);
  const edges = rows.map(toEdge);
  return { nodes: nodesOf(rows, edges), edges };
}
