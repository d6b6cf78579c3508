// What changed on the map between a baseline range and a current one: edges
// that appeared or vanished, and for edges in both, how rate, error ratio and
// latency moved. Rates are per second so ranges of different lengths compare.
import type { Storage } from "../storage/storage.js";
import { queryServiceMap, type ServiceMapEdge, type ServiceMapFilter } from "./service-map-query.js";
import type { TimeRange } from "./time-range.js";

export interface EdgeFigures {
  requestCount: number;
  requestsPerSecond: number;
  errorCount: number;
  errorRatio: number;
  p50Ms: number;
  p99Ms: number;
}

export interface EdgeChange {
  id: string;
  source: string;
  target: string;
  status: "new" | "vanished" | "changed" | "unchanged";
  baseline: EdgeFigures | null;
  current: EdgeFigures | null;
  /** current − baseline; null unless the edge is in both ranges. */
  delta: {
    requestsPerSecond: number;
    errorRatio: number;
    p50Ms: number;
    p99Ms: number;
  } | null;
}

export interface MapDiff {
  edges: EdgeChange[];
  newNodes: string[];
  vanishedNodes: string[];
}

// Below these an edge is "unchanged": noise of a few requests or a rounding
// of a latency bucket should not light up the whole map.
const RATE_CHANGE = 0.2;
const ERROR_RATIO_CHANGE = 0.01;
const LATENCY_CHANGE = 0.2;

function figures(edge: ServiceMapEdge, range: TimeRange): EdgeFigures {
  const seconds = (range.toMs - range.fromMs) / 1000;
  return {
    requestCount: edge.requestCount,
    requestsPerSecond: round(edge.requestCount / seconds),
    errorCount: edge.errorCount,
    errorRatio: edge.requestCount > 0 ? round(edge.errorCount / edge.requestCount) : 0,
    p50Ms: edge.p50Ms,
    p99Ms: edge.p99Ms,
  };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function relativelyChanged(before: number, after: number, threshold: number): boolean {
  if (before === 0) return after !== 0;
  return Math.abs(after - before) / before > threshold;
}

function compare(
  id: string,
  source: string,
  target: string,
  before?: EdgeFigures,
  after?: EdgeFigures,
): EdgeChange {
  if (before === undefined || after === undefined) {
    return {
      id,
      source,
      target,
      status: before === undefined ? "new" : "vanished",
      baseline: before ?? null,
      current: after ?? null,
      delta: null,
    };
  }
  const changed =
    relativelyChanged(before.requestsPerSecond, after.requestsPerSecond, RATE_CHANGE) ||
    Math.abs(after.errorRatio - before.errorRatio) > ERROR_RATIO_CHANGE ||
    relativelyChanged(before.p99Ms, after.p99Ms, LATENCY_CHANGE) ||
    relativelyChanged(before.p50Ms, after.p50Ms, LATENCY_CHANGE);
  return {
    id,
    source,
    target,
    status: changed ? "changed" : "unchanged",
    baseline: before,
    current: after,
    delta: {
      requestsPerSecond: round(after.requestsPerSecond - before.requestsPerSecond),
      errorRatio: round(after.errorRatio - before.errorRatio),
      p50Ms: round(after.p50Ms - before.p50Ms),
      p99Ms: round(after.p99Ms - before.p99Ms),
    },
  };
}

export async function queryMapDiff(
  storage: Storage,
  baseline: TimeRange,
  current: TimeRange,
  filter: Omit<ServiceMapFilter, "range" | "errorsOnly">,
): Promise<MapDiff> {
  const [before, after] = await Promise.all([
    queryServiceMap(storage, { ...filter, range: baseline }),
    queryServiceMap(storage, { ...filter, range: current }),
  ]);
  const beforeEdges = new Map(before.edges.map((edge) => [edge.id, edge]));
  const afterEdges = new Map(after.edges.map((edge) => [edge.id, edge]));
  const ids = [...new Set([...beforeEdges.keys(), ...afterEdges.keys()])].sort();
  const edges = ids.map((id) => {
    const old = beforeEdges.get(id);
    const now = afterEdges.get(id);
    const edge = (now ?? old) as ServiceMapEdge;
    return compare(
      id,
      edge.source,
      edge.target,
      old === undefined ? undefined : figures(old, baseline),
      now === undefined ? undefined : figures(now, current),
    );
  });
  const beforeNodes = new Set(before.nodes.map((node) => node.id));
  const afterNodes = new Set(after.nodes.map((node) => node.id));
  return {
    edges,
    newNodes: [...afterNodes].filter((id) => !beforeNodes.has(id)).sort(),
    vanishedNodes: [...beforeNodes].filter((id) => !afterNodes.has(id)).sort(),
  };
}
