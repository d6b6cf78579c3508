// The explorer's own filters (every one GET /api/v1/requests takes beyond the frame's
// time range, namespace and service, which frame/frameUrl.ts owns) and their URL form.
// Keys are the API's own parameter names, so a URL reads like the query it sends.

import { pathsApiV1RequestsGetParametersQueryProtocolValues as PROTOCOL_VALUES } from "../api/generated";
import {
  enumParam,
  numberParam,
  type ParamCodec,
  type ParamSchema,
  readParams,
  stringParam,
  writeParams,
} from "../frame/viewParams";

// The protocols GET /api/v1/requests accepts (its schema, generated): the protocol
// picker's choices before /api/v1/names answers, and when it fails.
export const PROTOCOLS = PROTOCOL_VALUES.filter((protocol) => protocol !== "");

export interface RequestFilters {
  protocol: string;
  peer: string;
  operation: string;
  target: string;
  /** Exact status code as typed; "" for any. */
  status: string;
  error: "" | "true" | "false";
  minDurationMs: string;
  maxDurationMs: string;
  traceId: string;
  workload: string;
  pod: string;
  node: string;
  observations: "one" | "all";
  /** A heatmap selection's time window inside the frame (epoch ms); 0 when none. */
  selFrom: number;
  selTo: number;
  /** The request whose detail drawer is open; "" when closed. */
  request: string;
}

export const DEFAULT_FILTERS: RequestFilters = {
  protocol: "",
  peer: "",
  operation: "",
  target: "",
  status: "",
  error: "",
  minDurationMs: "",
  maxDurationMs: "",
  traceId: "",
  workload: "",
  pod: "",
  node: "",
  observations: "one",
  selFrom: 0,
  selTo: 0,
  request: "",
};

// The collector's own patterns (requests/schema.ts): a value it would refuse with a
// 400 is dropped on read instead, so a mangled link still opens a working page.
const patterned = (pattern: RegExp, maxLength: number): ParamCodec<string> => ({
  parse: (raw) => (raw.length <= maxLength && pattern.test(raw) ? raw : undefined),
  serialize: (value) => value,
});
export const STATUS_PATTERN = /^-?\d{1,10}$/;
export const MILLISECONDS_PATTERN = /^\d{1,12}(\.\d{1,6})?$/;
export const TRACE_ID_PATTERN = /^[0-9a-fA-F]{32}$/;
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

const SCHEMA: ParamSchema<RequestFilters> = {
  protocol: stringParam(32),
  peer: stringParam(512),
  operation: stringParam(256),
  target: stringParam(1024),
  status: patterned(STATUS_PATTERN, 11),
  error: enumParam(["", "true", "false"] as const),
  minDurationMs: patterned(MILLISECONDS_PATTERN, 19),
  maxDurationMs: patterned(MILLISECONDS_PATTERN, 19),
  traceId: patterned(TRACE_ID_PATTERN, 32),
  workload: patterned(K8S_NAME, 253),
  pod: patterned(K8S_NAME, 253),
  node: patterned(K8S_NAME, 253),
  observations: enumParam(["one", "all"] as const),
  selFrom: numberParam(0),
  selTo: numberParam(0),
  request: stringParam(64),
};

export function readFilters(params: URLSearchParams): RequestFilters {
  const filters = readParams(params, SCHEMA, DEFAULT_FILTERS);
  // A window needs both ends in order; half of one means none.
  if (!(filters.selFrom > 0 && filters.selTo > filters.selFrom)) return { ...filters, selFrom: 0, selTo: 0 };
  return filters;
}

export function writeFilters(params: URLSearchParams, filters: Partial<RequestFilters>): URLSearchParams {
  return writeParams(params, SCHEMA, filters, DEFAULT_FILTERS);
}

/** Why a typed value would be refused by the API; undefined when it is fine. */
export function filterProblem(key: keyof RequestFilters, value: string): string | undefined {
  if (value === "") return undefined;
  switch (key) {
    case "status":
      return STATUS_PATTERN.test(value) ? undefined : "a whole number, e.g. 500";
    case "minDurationMs":
    case "maxDurationMs":
      return MILLISECONDS_PATTERN.test(value) ? undefined : "milliseconds, e.g. 250 or 0.5";
    case "traceId":
      return TRACE_ID_PATTERN.test(value) ? undefined : "32 hex digits (W3C trace id)";
    case "workload":
    case "pod":
    case "node":
      return K8S_NAME.test(value) ? undefined : "a Kubernetes name: lower case, digits, '-' and '.'";
    default:
      return undefined;
  }
}

export interface FrameFilters {
  from: Date;
  to: Date;
  namespace: string | undefined;
  service: string | undefined;
}

/** The text filters GET /api/v1/requests takes as they are named here (the frame's and the durations apart). */
export const REQUEST_API_FILTERS = [
  "protocol",
  "peer",
  "operation",
  "target",
  "status",
  "error",
  "traceId",
  "workload",
  "pod",
  "node",
] as const;

/**
 * The query string for GET /api/v1/requests: the frame, the filters, and a heatmap
 * selection's time window (clamped to the frame) and duration bounds.
 */
export function requestsApiParams(
  frame: FrameFilters,
  filters: RequestFilters,
  options: { limit: number; cursor?: string | null },
): URLSearchParams {
  const windowed = filters.selTo > filters.selFrom && filters.selFrom > 0;
  const from = windowed ? Math.max(filters.selFrom, frame.from.getTime()) : frame.from.getTime();
  const to = windowed ? Math.min(filters.selTo, frame.to.getTime()) : frame.to.getTime();
  const out = new URLSearchParams({ from: String(from), to: String(Math.max(to, from + 1)) });
  if (frame.namespace) out.set("namespace", frame.namespace);
  if (frame.service) out.set("service", frame.service);
  for (const key of REQUEST_API_FILTERS) if (filters[key] !== "") out.set(key, filters[key]);
  if (filters.minDurationMs !== "") out.set("minDurationMs", filters.minDurationMs);
  if (filters.maxDurationMs !== "") out.set("maxDurationMs", filters.maxDurationMs);
  if (filters.observations !== "one") out.set("observations", filters.observations);
  out.set("limit", String(options.limit));
  if (options.cursor) out.set("cursor", options.cursor);
  return out;
}

/** How many filters beyond the frame are set: the filter bar's "N active" count. */
export function activeFilterCount(filters: RequestFilters): number {
  const keys: (keyof RequestFilters)[] = [
    "protocol",
    "peer",
    "operation",
    "target",
    "status",
    "error",
    "minDurationMs",
    "maxDurationMs",
    "traceId",
    "workload",
    "pod",
    "node",
  ];
  return keys.filter((key) => filters[key] !== DEFAULT_FILTERS[key]).length + (filters.selFrom > 0 ? 1 : 0);
}
