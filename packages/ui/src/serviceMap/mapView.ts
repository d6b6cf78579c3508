// The filtered map → Cytoscape elements: namespace boxes, collapsed namespaces, "N
// hidden" markers, edge labels by mode, tones by colour mode and find matches. Pure, so
// every option is tested on fixtures; the component only applies the result as a diff.
import { formatLatency } from "../format/formatLatency";
import { type ColorMode, toneOf } from "./colorScale";
import { type EdgeData, type GraphElement, type Match, markTwoWayEdges, type NodeData } from "./elements";
import { boxId, collapsedId, groupKeyOf, groupLabel, hiddenMarkerId } from "./grouping";
import { type Candidate, chooseVisible, MAX_VISIBLE_NODES } from "./hiddenMarkers";
import { type Expression, matchesExpression } from "./mapExpression";
import { edgeSubject, type FilteredMap, nodeSubject } from "./mapFilters";
import type { ModelEdge, ModelNode } from "./mapModel";

export type LabelMode = "rate" | "errors" | "p99";

export interface MapViewOptions {
  labelMode: LabelMode;
  colorMode: ColorMode;
  find?: Expression | undefined;
  /** Group keys (namespaces, "(external)") drawn as one node each. */
  collapsed: ReadonlySet<string>;
  /** Group keys whose hidden marker was clicked open. */
  expanded: ReadonlySet<string>;
  maxVisibleNodes?: number;
  /** Services the last view showed: they keep their place past the budget a while (hiddenMarkers.ts). */
  shownBefore?: ReadonlySet<string> | undefined;
}

export interface MapView {
  elements: GraphElement[];
  /** Services behind "N hidden" markers. */
  hiddenCount: number;
  /** Services with a place of their own (pass back as shownBefore for the next view). */
  shown: ReadonlySet<string>;
  /** Nodes and edges the find expression matched (0 without one). */
  foundCount: number;
}

interface Aggregate {
  requestCount: number;
  errorCount: number;
  rate: number;
  p50Ms: number;
  p99Ms: number;
  protocols: Set<string>;
  members: number;
  found: boolean;
}

export function buildMapView(map: FilteredMap, options: MapViewOptions): MapView {
  const byId = new Map(map.nodes.map((node) => [node.id, node]));
  const find = options.find;
  const foundNodes = new Set(
    find ? map.nodes.filter((node) => matchesExpression(find, nodeSubject(node))).map((n) => n.id) : [],
  );
  const foundEdges = new Set(
    find ? map.edges.filter((edge) => matchesExpression(find, edgeSubject(edge, byId))).map((e) => e.id) : [],
  );
  const matchOf = (found: boolean): Match => (find ? (found ? "found" : "dimmed") : "");

  // Which nodes get a place of their own.
  const traffic = new Map<string, number>(map.nodes.map((node) => [node.id, node.requestCount]));
  for (const edge of map.edges) {
    traffic.set(edge.source, (traffic.get(edge.source) ?? 0) + edge.requestCount);
    traffic.set(edge.target, (traffic.get(edge.target) ?? 0) + edge.requestCount);
  }
  const open = map.nodes.filter((node) => !options.collapsed.has(groupKeyOf(node)));
  const collapsedGroups = new Set(
    map.nodes.map((node) => groupKeyOf(node)).filter((key) => key !== "" && options.collapsed.has(key)),
  );
  const candidates: Candidate[] = open.map((node) => ({
    id: node.id,
    group: groupKeyOf(node),
    traffic: traffic.get(node.id) ?? 0,
  }));
  const budget = Math.max(0, (options.maxVisibleNodes ?? MAX_VISIBLE_NODES) - collapsedGroups.size);
  const { visible, hiddenByGroup } = chooseVisible(
    candidates,
    budget,
    foundNodes,
    options.expanded,
    options.shownBefore,
  );

  const representative = (node: ModelNode): string => {
    const key = groupKeyOf(node);
    if (collapsedGroups.has(key)) return collapsedId(key);
    return visible.has(node.id) ? node.id : hiddenMarkerId(key);
  };

  // Synthetic nodes: collapsed namespaces and hidden markers, with their members' sums.
  const synthetic = new Map<string, { key: string; kind: "namespace" | "hidden"; total: Aggregate }>();
  for (const node of map.nodes) {
    const id = representative(node);
    if (id === node.id) continue;
    const key = groupKeyOf(node);
    const entry = synthetic.get(id) ?? {
      key,
      kind: collapsedGroups.has(key) ? ("namespace" as const) : ("hidden" as const),
      total: emptyAggregate(),
    };
    addTo(entry.total, node, foundNodes.has(node.id));
    synthetic.set(id, entry);
  }

  const boxes = new Set<string>();
  const nodeElements: GraphElement[] = [];
  for (const node of map.nodes) {
    if (representative(node) !== node.id) continue;
    const key = groupKeyOf(node);
    if (key !== "") boxes.add(key);
    nodeElements.push({
      group: "nodes",
      data: nodeData(
        node.id,
        node.label,
        node.kind === "external" ? "external" : "service",
        key,
        1,
        node,
        options,
        matchOf(foundNodes.has(node.id)),
      ),
    });
  }
  for (const [id, { key, kind, total }] of synthetic) {
    if (kind === "hidden" && key !== "") boxes.add(key);
    const label =
      kind === "namespace"
        ? `${groupLabel(key)} (${total.members} ${total.members === 1 ? "service" : "services"})`
        : `${total.members} hidden`;
    nodeElements.push({
      group: "nodes",
      data: nodeData(
        id,
        label,
        kind,
        kind === "hidden" ? key : "",
        total.members,
        figuresOf(total),
        options,
        matchOf(total.found),
      ),
    });
  }
  for (const element of nodeElements) {
    const data = element.data as NodeData;
    if (data.kind !== "namespace" && data.group !== "" && boxes.has(data.group))
      data.parent = boxId(data.group);
  }
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

  // Edges, merged where an end is a collapsed namespace or a hidden marker.
  const merged = new Map<
    string,
    { source: string; target: string; total: Aggregate; original?: ModelEdge }
  >();
  for (const edge of map.edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target) continue;
    const from = representative(source);
    const to = representative(target);
    const isOriginal = from === edge.source && to === edge.target;
    if (!isOriginal && from === to) continue; // calls inside one collapsed box or marker
    const id = isOriginal ? edge.id : `${from}->${to}`;
    const entry = merged.get(id) ?? { source: from, target: to, total: emptyAggregate() };
    if (isOriginal) entry.original = edge;
    addTo(entry.total, edge, foundEdges.has(edge.id));
    merged.set(id, entry);
  }
  const edgeElements: GraphElement[] = [...merged].map(([id, { source, target, total }]) => {
    const figures = figuresOf(total);
    const data: EdgeData = {
      id,
      source,
      target,
      label: edgeLabel(options.labelMode, figures),
      protocols: [...total.protocols].sort().join(", "),
      requestCount: figures.requestCount,
      errorCount: figures.errorCount,
      rate: figures.rate,
      errorRatio: figures.errorRatio,
      p50Ms: figures.p50Ms,
      p99Ms: figures.p99Ms,
      tone: toneOf(options.colorMode, figures),
      match: matchOf(total.found),
      memberCount: total.members,
    };
    return { group: "edges", data };
  });

  return {
    elements: [...boxElements, ...nodeElements, ...markTwoWayEdges(edgeElements)],
    hiddenCount: [...hiddenByGroup.values()].reduce((sum, ids) => sum + ids.length, 0),
    shown: visible,
    foundCount: find ? foundNodes.size + foundEdges.size : 0,
  };
}

type Figures = Pick<ModelNode, "requestCount" | "errorCount" | "rate" | "errorRatio" | "p50Ms" | "p99Ms">;

function nodeData(
  id: string,
  label: string,
  kind: NodeData["kind"],
  group: string,
  memberCount: number,
  figures: Figures,
  options: MapViewOptions,
  match: Match,
): NodeData {
  return {
    id,
    label,
    kind,
    group,
    memberCount,
    requestCount: figures.requestCount,
    errorCount: figures.errorCount,
    rate: figures.rate,
    errorRatio: figures.errorRatio,
    p99Ms: figures.p99Ms,
    tone: toneOf(options.colorMode, figures),
    match,
  };
}

function emptyAggregate(): Aggregate {
  return {
    requestCount: 0,
    errorCount: 0,
    rate: 0,
    p50Ms: 0,
    p99Ms: 0,
    protocols: new Set(),
    members: 0,
    found: false,
  };
}

/** Sums counts and rates; latency is the worst member's, since percentiles do not add. */
function addTo(total: Aggregate, item: Figures & { protocols: string[] }, found: boolean): void {
  total.requestCount += item.requestCount;
  total.errorCount += item.errorCount;
  total.rate += item.rate;
  total.p50Ms = Math.max(total.p50Ms, item.p50Ms);
  total.p99Ms = Math.max(total.p99Ms, item.p99Ms);
  for (const protocol of item.protocols) total.protocols.add(protocol);
  total.members++;
  total.found ||= found;
}

function figuresOf(total: Aggregate): Figures {
  return {
    requestCount: total.requestCount,
    errorCount: total.errorCount,
    rate: total.rate,
    errorRatio: total.requestCount > 0 ? total.errorCount / total.requestCount : 0,
    p50Ms: total.p50Ms,
    p99Ms: total.p99Ms,
  };
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return "0 req/s";
  if (perSecond < 0.1) return `${Number((perSecond * 60).toFixed(1))} req/min`;
  if (perSecond < 10) return `${Number(perSecond.toFixed(2))} req/s`;
  return `${Math.round(perSecond)} req/s`;
}

export function formatErrorPercent(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio <= 0) return "0%";
  const percent = ratio * 100;
  return percent < 0.1 ? "<0.1%" : `${Number(percent.toFixed(percent < 10 ? 1 : 0))}%`;
}

export function edgeLabel(mode: LabelMode, figures: Figures): string {
  switch (mode) {
    case "rate":
      return formatRate(figures.rate);
    case "errors":
      return `${formatErrorPercent(figures.errorRatio)} err`;
    case "p99":
      return `p99 ${formatLatency(figures.p99Ms)}`;
  }
}
