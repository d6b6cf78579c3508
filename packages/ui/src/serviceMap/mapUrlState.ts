// The map's own view state in the URL (the frame's range and filters live beside it),
// written only where it differs from the default so shared links stay short.
import {
  booleanParam,
  enumParam,
  type ParamCodec,
  type ParamSchema,
  readParams,
  stringParam,
  writeParams,
} from "../frame/viewParams";
import type { ColorMode } from "./colorScale";
import type { LabelMode } from "./mapView";

export type MapViewMode = "map" | "table";

export interface MapUrlState {
  labels: LabelMode;
  color: ColorMode;
  unhealthy: boolean;
  find: string;
  hide: string;
  /** Collapsed group keys (namespaces, "(external)"). */
  collapsed: string[];
  view: MapViewMode;
  /** Selected node id, or edge id "a->b": the side panel's subject. */
  node: string;
  edge: string;
}

export const DEFAULT_MAP_STATE: MapUrlState = {
  labels: "rate",
  color: "errors",
  unhealthy: false,
  find: "",
  hide: "",
  collapsed: [],
  view: "map",
  node: "",
  edge: "",
};

/** Comma-separated, sorted and de-duplicated, so one set of collapsed groups has one URL. */
const listParam: ParamCodec<string[]> = {
  parse: (raw) =>
    raw.length > 4096 ? undefined : [...new Set(raw.split(",").filter((s) => s !== ""))].sort(),
  serialize: (values) => [...new Set(values)].sort().join(","),
  equals: (a, b) => a.length === b.length && a.every((value, i) => value === b[i]),
};

export const MAP_URL_SCHEMA: ParamSchema<MapUrlState> = {
  labels: enumParam(["rate", "errors", "p99"] as const),
  color: enumParam(["errors", "latency"] as const),
  unhealthy: booleanParam,
  find: stringParam(1000),
  hide: stringParam(1000),
  collapsed: listParam,
  view: enumParam(["map", "table"] as const),
  node: stringParam(512),
  edge: stringParam(1100),
};

export function readMapState(params: URLSearchParams): MapUrlState {
  return readParams(params, MAP_URL_SCHEMA, DEFAULT_MAP_STATE);
}

/** The URL patch for `changes`: keys back at their default come out as undefined (removed). */
export function mapStatePatch(changes: Partial<MapUrlState>): Record<string, string | undefined> {
  const written = writeParams(new URLSearchParams(), MAP_URL_SCHEMA, changes, DEFAULT_MAP_STATE);
  const patch: Record<string, string | undefined> = {};
  for (const key of Object.keys(changes)) patch[key] = written.get(key) ?? undefined;
  return patch;
}
