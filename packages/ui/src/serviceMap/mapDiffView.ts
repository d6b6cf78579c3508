// The map diff overlaid on one map: every service of either range, every call coloured
// by how it changed (worse red, better green, mixed amber; new in the accent colour,
// vanished dashed) and labelled with the change, plus the range pairs to compare.
import { formatLatency } from "../format/formatLatency";
import type { Tone } from "./colorScale";
import { type EdgeData, type GraphElement, markTwoWayEdges, type NodeData } from "./elements";
import { boxId, groupKeyOf, groupLabel } from "./grouping";
import type { ClassifiedEdge, DiffVerdict, MapDiff } from "./mapDiff";
import { namespaceFromName } from "./mapModel";

const VERDICT_TONES: Record<DiffVerdict, Tone> = {
  worse: "bad",
  better: "good",
  mixed: "warn",
  new: "idle",
  vanished: "idle",
  unchanged: "idle",
};

export function diffEdgeLabel(edge: ClassifiedEdge): string {
  if (edge.verdict === "new") return "new";
  if (edge.verdict === "vanished") return "vanished";
  const parts: string[] = [];
  if (edge.changes.includes("slower") || edge.changes.includes("faster")) {
    parts.push(`p99 ${edge.p99DeltaMs > 0 ? "+" : "−"}${formatLatency(Math.abs(edge.p99DeltaMs))}`);
  }
  if (edge.changes.includes("more errors") || edge.changes.includes("fewer errors")) {
    const points = Math.abs(edge.errorRatioDelta * 100);
    parts.push(`errors ${edge.errorRatioDelta > 0 ? "+" : "−"}${Number(points.toFixed(1))} pt`);
  }
  return parts.join(" · ");
}

export function buildDiffElements(diff: MapDiff, edges: readonly ClassifiedEdge[]): GraphElement[] {
  const newNodes = new Set(diff.newNodes);
  const vanishedNodes = new Set(diff.vanishedNodes);
  const ids = [...new Set(edges.flatMap((e) => [e.source, e.target]))];
  const boxes = new Set<string>();
  const nodes: GraphElement[] = ids.map((id) => {
    // The diff has no node kinds: a name with a host:port shape is a peer outside the map.
    const kind = /:\d+$/.test(id) ? "external" : "service";
    const key = groupKeyOf({ namespace: namespaceFromName(id, kind), kind });
    if (key !== "") boxes.add(key);
    const data: NodeData = {
      id,
      label: id,
      kind,
      group: key,
      memberCount: 1,
      requestCount: 0,
      errorCount: 0,
      rate: 0,
      errorRatio: 0,
      p99Ms: 0,
      tone: "idle",
      match: "",
      ...(key !== "" ? { parent: boxId(key) } : {}),
      ...(newNodes.has(id)
        ? { diff: "new" as const }
        : vanishedNodes.has(id)
          ? { diff: "vanished" as const }
          : {}),
    };
    return { group: "nodes", data };
  });
  const boxElements: GraphElement[] = [...boxes].sort().map((key) => ({
    group: "nodes",
    data: {
      id: boxId(key),
      label: groupLabel(key),
      kind: "group",
      group: key,
      memberCount: 0,
      requestCount: 0,
      errorCount: 0,
      rate: 0,
      errorRatio: 0,
      p99Ms: 0,
      tone: "idle",
      match: "",
    },
  }));
  const edgeElements: GraphElement[] = edges.map((edge) => {
    const figures = edge.current ?? edge.baseline;
    const data: EdgeData = {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      label: diffEdgeLabel(edge),
      protocols: "",
      requestCount: figures?.requestCount ?? 0,
      errorCount: figures?.errorCount ?? 0,
      rate: figures?.requestsPerSecond ?? 0,
      errorRatio: figures?.errorRatio ?? 0,
      p50Ms: figures?.p50Ms ?? 0,
      p99Ms: figures?.p99Ms ?? 0,
      tone: VERDICT_TONES[edge.verdict],
      match: "",
      memberCount: 1,
      diff: edge.verdict,
    };
    return { group: "edges", data };
  });
  return [...boxElements, ...nodes, ...markTwoWayEdges(edgeElements)];
}

export type BaselinePreset = "previous" | "1d" | "7d";

const DAY_MS = 86_400_000;

/** The baseline range for a preset: the period just before, or the same period a day or a week earlier. */
export function baselineRange(
  fromMs: number,
  toMs: number,
  preset: BaselinePreset,
): { from: number; to: number } {
  const offset = preset === "previous" ? toMs - fromMs : preset === "1d" ? DAY_MS : 7 * DAY_MS;
  return { from: fromMs - offset, to: toMs - offset };
}
