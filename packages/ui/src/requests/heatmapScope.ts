// What the latency heatmap asks GET /api/v1/heatmap for, and how the answer is read.
// The heatmap counts every request from the metric series (exact, never sampled),
// and the series are kept per service, edge and endpoint only: of the explorer's
// filters it can honour the service and the peer (an edge), the time range and a
// step; the rest narrow the list, not the heatmap, and the explorer says so.
import { asObject, readArray, readNumber, readString } from "../api/jsonFields";
import type { GetResponse } from "../api/types";
import { REQUEST_API_FILTERS, type RequestFilters } from "./requestFilters";

export type HeatmapBody = GetResponse<"/api/v1/heatmap">;
type HeatmapColumnBody = HeatmapBody["columns"][number];

export type HeatmapScope =
  | { kind: "all" }
  | { kind: "service"; service: string }
  /** Calls between the two, in either direction (the list's service + peer rule). */
  | { kind: "edge"; service: string; peer: string };

export interface HeatmapQueries {
  scope: HeatmapScope;
  /** One API query per direction of an edge, else one. */
  queries: URLSearchParams[];
  /** The list's filters in force that the heatmap does not apply, by their URL names. */
  unapplied: string[];
}

// The API's steps are whole minutes (the roll-ups are per minute); these are the
// collector's own round steps (query/red-step.ts), so columns line up with the clock.
const STEPS_SECONDS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
/** Enough columns to see a shape, few enough to stay wide at 1280 px. */
const TARGET_COLUMNS = 40;

/** The step for a range: the finest round step that keeps it to about 40 columns. */
export function heatmapStepSeconds(rangeMs: number): number {
  const wanted = rangeMs / 1000 / TARGET_COLUMNS;
  return STEPS_SECONDS.find((step) => step >= wanted) ?? 86_400;
}

// The peer narrows the heatmap to an edge; every other list filter the metric series cannot apply.
const LIST_ONLY_FILTERS = REQUEST_API_FILTERS.filter((key) => key !== "peer");

export function heatmapQueries(
  frame: { from: Date; to: Date; namespace?: string; service?: string },
  filters: RequestFilters,
): HeatmapQueries {
  const fromMs = frame.from.getTime();
  const toMs = Math.max(frame.to.getTime(), fromMs + 1);
  const base = () =>
    new URLSearchParams({
      from: String(fromMs),
      to: String(toMs),
      step: String(heatmapStepSeconds(toMs - fromMs)),
    });
  const unapplied: string[] = LIST_ONLY_FILTERS.filter((key) => filters[key] !== "");
  const service = frame.service ?? "";
  const peer = filters.peer;
  let scope: HeatmapScope;
  if (service !== "" && peer !== "" && service !== peer) scope = { kind: "edge", service, peer };
  // The list reads a lone peer as "either end is it", as it does a service.
  else if (service !== "" || peer !== "") scope = { kind: "service", service: service || peer };
  else scope = { kind: "all" };
  // The metric series carry no namespace filter; a service already names its own.
  if (frame.namespace && scope.kind === "all") unapplied.unshift("namespace");
  const queries =
    scope.kind === "all"
      ? [base()]
      : scope.kind === "service"
        ? [withParams(base(), { service: scope.service })]
        : [
            withParams(base(), { client: scope.service, server: scope.peer }),
            withParams(base(), { client: scope.peer, server: scope.service }),
          ];
  return { scope, queries, unapplied };
}

function withParams(params: URLSearchParams, extra: Record<string, string>): URLSearchParams {
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params;
}

/** What the heatmap counts, in words: the legend's first line. */
export function describeScope(scope: HeatmapScope, observedFrom: HeatmapBody["observedFrom"]): string {
  switch (scope.kind) {
    case "all":
      return "every call in the cluster, each counted once";
    case "edge":
      return `calls between ${scope.service} and ${scope.peer}, both directions`;
    case "service":
      return observedFrom === "client"
        ? `calls made by ${scope.service} (it served none in this range)`
        : `calls served by ${scope.service}`;
  }
}

/** A GET /api/v1/heatmap body, or undefined when the JSON is not one. */
export function parseHeatmap(raw: unknown): HeatmapBody | undefined {
  const object = asObject(raw);
  if (!object || !Array.isArray(object.rows) || !Array.isArray(object.columns)) return undefined;
  const observed = readString(object, "observedFrom");
  return {
    from: readString(object, "from"),
    to: readString(object, "to"),
    stepSeconds: readNumber(object, "stepSeconds", 60),
    observedFrom: observed === "client" || observed === "server" ? observed : "edges",
    rows: readArray(object, "rows").flatMap((row) => {
      const r = asObject(row);
      return r ? [{ fromMs: readNumber(r, "fromMs"), toMs: readNumber(r, "toMs") }] : [];
    }),
    columns: readArray(object, "columns").flatMap((column): HeatmapColumnBody[] => {
      const c = asObject(column);
      if (!c) return [];
      return [
        {
          time: readString(c, "time"),
          requests: readNumber(c, "requests"),
          errors: readNumber(c, "errors"),
          counts: readArray(c, "counts").map((n) => (typeof n === "number" && Number.isFinite(n) ? n : 0)),
        },
      ];
    }),
  };
}

/**
 * The two directions of an edge as one heatmap: the same range and step give the
 * same rows and column times, and a call goes one way only, so counts add.
 */
export function mergeHeatmaps(bodies: readonly HeatmapBody[]): HeatmapBody | undefined {
  const [first, ...rest] = bodies;
  if (!first) return undefined;
  const columns = new Map(first.columns.map((c) => [c.time, { ...c, counts: [...c.counts] }]));
  for (const body of rest) {
    for (const c of body.columns) {
      const into = columns.get(c.time);
      if (!into) {
        columns.set(c.time, { ...c, counts: [...c.counts] });
        continue;
      }
      into.requests += c.requests;
      into.errors += c.errors;
      c.counts.forEach((n, i) => {
        into.counts[i] = (into.counts[i] ?? 0) + n;
      });
    }
  }
  const observedFrom = rest.every((b) => b.observedFrom === first.observedFrom)
    ? first.observedFrom
    : "edges";
  return {
    ...first,
    observedFrom,
    columns: [...columns.values()].sort((a, b) => Date.parse(a.time) - Date.parse(b.time)),
  };
}

/** "1-minute", "2-hour": a column's width in words. */
export function sliceText(stepSeconds: number): string {
  return stepSeconds % 3600 === 0 ? `${stepSeconds / 3600}-hour` : `${stepSeconds / 60}-minute`;
}
