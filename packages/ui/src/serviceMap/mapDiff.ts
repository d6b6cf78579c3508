// The map diff (/api/v1/map-diff) as the page shows it: each edge classified as new,
// vanished, worse, better, mixed or unchanged, with the changes that earned it. The API
// marks an edge "changed" past its own noise floor; here the change is named (slower,
// more errors, …) by thresholds a reader can check in the legend.
import { asObject, type JsonObject, readArray, readNumber, readString } from "../api/jsonFields";

export interface DiffFigures {
  requestCount: number;
  requestsPerSecond: number;
  errorCount: number;
  errorRatio: number;
  p50Ms: number;
  p99Ms: number;
}

export type ApiDiffStatus = "new" | "vanished" | "changed" | "unchanged";

export interface DiffEdge {
  id: string;
  source: string;
  target: string;
  status: ApiDiffStatus;
  baseline: DiffFigures | undefined;
  current: DiffFigures | undefined;
}

export interface MapDiff {
  from: string;
  to: string;
  baselineFrom: string;
  baselineTo: string;
  edges: DiffEdge[];
  newNodes: string[];
  vanishedNodes: string[];
}

export function parseMapDiff(body: unknown): MapDiff | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.edges)) return undefined;
  const strings = (key: string) => readArray(root, key).filter((v): v is string => typeof v === "string");
  return {
    from: readString(root, "from"),
    to: readString(root, "to"),
    baselineFrom: readString(root, "baselineFrom"),
    baselineTo: readString(root, "baselineTo"),
    edges: readArray(root, "edges").flatMap((raw) => {
      const object = asObject(raw);
      if (!object) return [];
      const source = readString(object, "source");
      const target = readString(object, "target");
      const status = readString(object, "status");
      if (source === "" || target === "" || !["new", "vanished", "changed", "unchanged"].includes(status))
        return [];
      return [
        {
          id: readString(object, "id") || `${source}->${target}`,
          source,
          target,
          status: status as ApiDiffStatus,
          baseline: figuresOf(asObject(object.baseline)),
          current: figuresOf(asObject(object.current)),
        },
      ];
    }),
    newNodes: strings("newNodes"),
    vanishedNodes: strings("vanishedNodes"),
  };
}

function figuresOf(object: JsonObject | undefined): DiffFigures | undefined {
  if (!object) return undefined;
  return {
    requestCount: readNumber(object, "requestCount"),
    requestsPerSecond: readNumber(object, "requestsPerSecond"),
    errorCount: readNumber(object, "errorCount"),
    errorRatio: readNumber(object, "errorRatio"),
    p50Ms: readNumber(object, "p50Ms"),
    p99Ms: readNumber(object, "p99Ms"),
  };
}

/**
 * A p99 change counts when it is both 20% and 5 ms (a loopback call going from 0.2 to
 * 0.3 ms is +50% and means nothing); an error change when the error rate moves by one
 * percentage point, the map's own "worth a look" threshold (colorScale.ts).
 */
export const DIFF_THRESHOLDS = { latencyRatio: 0.2, latencyMs: 5, errorPoints: 0.01 } as const;

export type EdgeChange = "slower" | "faster" | "more errors" | "fewer errors";
export type DiffVerdict = "new" | "vanished" | "worse" | "better" | "mixed" | "unchanged";

export interface ClassifiedEdge extends DiffEdge {
  verdict: DiffVerdict;
  changes: EdgeChange[];
  /** current − baseline p99 (ms) and error ratio; 0 when either side is missing. */
  p99DeltaMs: number;
  errorRatioDelta: number;
}

export function classifyEdge(edge: DiffEdge): ClassifiedEdge {
  const { baseline, current } = edge;
  const base = { ...edge, changes: [] as EdgeChange[], p99DeltaMs: 0, errorRatioDelta: 0 };
  if (!baseline || edge.status === "new") return { ...base, verdict: "new" };
  if (!current || edge.status === "vanished") return { ...base, verdict: "vanished" };
  const p99DeltaMs = current.p99Ms - baseline.p99Ms;
  const errorRatioDelta = current.errorRatio - baseline.errorRatio;
  const changes: EdgeChange[] = [];
  const latencyMoved =
    Math.abs(p99DeltaMs) >= DIFF_THRESHOLDS.latencyMs &&
    Math.abs(p99DeltaMs) >= DIFF_THRESHOLDS.latencyRatio * Math.max(baseline.p99Ms, Number.MIN_VALUE);
  if (latencyMoved) changes.push(p99DeltaMs > 0 ? "slower" : "faster");
  if (Math.abs(errorRatioDelta) >= DIFF_THRESHOLDS.errorPoints) {
    changes.push(errorRatioDelta > 0 ? "more errors" : "fewer errors");
  }
  const worse = changes.some((c) => c === "slower" || c === "more errors");
  const better = changes.some((c) => c === "faster" || c === "fewer errors");
  const verdict: DiffVerdict = worse && better ? "mixed" : worse ? "worse" : better ? "better" : "unchanged";
  return { ...base, changes, p99DeltaMs, errorRatioDelta, verdict };
}

const VERDICT_ORDER: DiffVerdict[] = ["worse", "new", "vanished", "mixed", "better", "unchanged"];

/** Every edge classified, the ones to look at first on top (regressions, then new and vanished calls). */
export function classifyMapDiff(diff: MapDiff): ClassifiedEdge[] {
  return diff.edges
    .map(classifyEdge)
    .sort(
      (a, b) =>
        VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict) ||
        Math.abs(b.p99DeltaMs) - Math.abs(a.p99DeltaMs) ||
        a.id.localeCompare(b.id),
    );
}

export function verdictCounts(edges: readonly ClassifiedEdge[]): Record<DiffVerdict, number> {
  const counts: Record<DiffVerdict, number> = {
    new: 0,
    vanished: 0,
    worse: 0,
    better: 0,
    mixed: 0,
    unchanged: 0,
  };
  for (const edge of edges) counts[edge.verdict]++;
  return counts;
}
