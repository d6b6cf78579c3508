// Turns untrusted JSON from the collector into the explorer's types. Each parser
// returns undefined when the body is not that resource at all (fetchApi then reports
// "unexpected response shape"); entries inside it that are not objects are dropped.
import { asObject, type JsonObject, readArray, readBoolean, readNumber, readString } from "../api/jsonFields";
import type {
  ConnectionInterval,
  EndpointView,
  PickerName,
  RedPoint,
  RequestDetail,
  RequestDetailView,
  RequestsPage,
  RequestView,
} from "./requestTypes";

export function parseEndpoint(raw: unknown): EndpointView {
  const object = asObject(raw) ?? {};
  return {
    service: readString(object, "service"),
    ip: readString(object, "ip"),
    port: readNumber(object, "port"),
    pid: readNumber(object, "pid"),
    processName: readString(object, "processName"),
    containerId: readString(object, "containerId"),
    namespace: readString(object, "namespace"),
    workload: readString(object, "workload"),
    pod: readString(object, "pod"),
    node: readString(object, "node"),
  };
}

export function parseRequestView(raw: unknown): RequestView | undefined {
  const object = asObject(raw);
  if (!object || typeof object.id !== "string") return undefined;
  return {
    id: readString(object, "id"),
    time: readString(object, "time"),
    timeUnixNano: readString(object, "timeUnixNano"),
    protocol: readString(object, "protocol"),
    side: object.side === "server" ? "server" : "client",
    client: parseEndpoint(object.client),
    server: parseEndpoint(object.server),
    operation: readString(object, "operation"),
    target: readString(object, "target"),
    status: readNumber(object, "status"),
    error: readBoolean(object, "error"),
    durationMs: readNumber(object, "durationMs"),
    requestBytes: readNumber(object, "requestBytes"),
    responseBytes: readNumber(object, "responseBytes"),
    traceId: readString(object, "traceId"),
    spanId: readString(object, "spanId"),
    parentSpanId: readString(object, "parentSpanId"),
    agentId: readString(object, "agentId"),
    // A missing weight reads as 1: the record stands for itself.
    sampleWeight: readNumber(object, "sampleWeight", 1),
  };
}

function viewsOf(object: JsonObject, key: string): RequestView[] {
  return readArray(object, key).flatMap((raw) => {
    const view = parseRequestView(raw);
    return view ? [view] : [];
  });
}

export function parseRequestsPage(body: unknown): RequestsPage | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.requests)) return undefined;
  const requests = viewsOf(root, "requests");
  const sampling = asObject(root.sampling) ?? {};
  return {
    requests,
    nextCursor: typeof root.nextCursor === "string" && root.nextCursor !== "" ? root.nextCursor : null,
    sampling: {
      sampled: readBoolean(sampling, "sampled"),
      records: readNumber(sampling, "records", requests.length),
      estimatedRequests: readNumber(sampling, "estimatedRequests", requests.length),
      maxSampleWeight: readNumber(sampling, "maxSampleWeight", 1),
    },
  };
}

function parseDetailView(raw: unknown): RequestDetailView | undefined {
  const view = parseRequestView(raw);
  if (!view) return undefined;
  const object = asObject(raw) ?? {};
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(asObject(object.attributes) ?? {})) {
    if (typeof value === "string") attributes[key] = value;
  }
  return { ...view, attributes, truncated: readBoolean(object, "truncated") };
}

export function parseRequestDetail(body: unknown): RequestDetail | undefined {
  const root = asObject(body);
  const request = parseDetailView(root?.request);
  if (!root || !request) return undefined;
  const observations = readArray(root, "observations").flatMap((raw) => {
    const view = parseDetailView(raw);
    return view ? [view] : [];
  });
  return { request, observations: observations.length > 0 ? observations : [request] };
}

export function parsePickerNames(body: unknown): PickerName[] | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.names)) return undefined;
  return readArray(root, "names").flatMap((raw) => {
    const object = asObject(raw);
    const name = object ? readString(object, "name") : "";
    return object && name !== "" ? [{ name, requests: readNumber(object, "requests") }] : [];
  });
}

function address(raw: unknown): { ip: string; port: number } {
  const object = asObject(raw) ?? {};
  return { ip: readString(object, "ip"), port: readNumber(object, "port") };
}

export function parseConnections(body: unknown): ConnectionInterval[] | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.connections)) return undefined;
  return readArray(root, "connections").flatMap((raw) => {
    const o = asObject(raw);
    if (!o) return [];
    return [
      {
        time: readNumber(o, "time"),
        connectionId: readString(o, "connectionId"),
        intervalMs: readNumber(o, "intervalMs"),
        role: readString(o, "role"),
        pid: readNumber(o, "pid"),
        process: readString(o, "process"),
        local: address(o.local),
        remote: address(o.remote),
        bytesSent: readNumber(o, "bytesSent"),
        bytesReceived: readNumber(o, "bytesReceived"),
        retransmits: readNumber(o, "retransmits"),
        resetsSent: readNumber(o, "resetsSent"),
        resetsReceived: readNumber(o, "resetsReceived"),
        connectFailed: readBoolean(o, "connectFailed"),
        connectMs: readNumber(o, "connectMs"),
        srttUs: readNumber(o, "srttUs"),
        state: readString(o, "state"),
      },
    ];
  });
}

export interface RedCounts {
  stepSeconds: number;
  points: RedPoint[];
}

/** GET /api/v1/red: the per-bucket request and error counts (the rest of the series is not needed here). */
export function parseRedCounts(body: unknown): RedCounts | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.points)) return undefined;
  const points = readArray(root, "points").flatMap((raw) => {
    const o = asObject(raw);
    return o
      ? [
          {
            time: readString(o, "time"),
            requests: readNumber(o, "requests"),
            errors: readNumber(o, "errors"),
          },
        ]
      : [];
  });
  return { stepSeconds: readNumber(root, "stepSeconds", 60), points };
}

/** GET /api/v1/services: exact request and error totals per service over the range. */
export function parseServiceTotals(body: unknown): { requests: number; errors: number } | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.services)) return undefined;
  return readArray(root, "services").reduce<{ requests: number; errors: number }>(
    (total, raw) => {
      const o = asObject(raw) ?? {};
      return {
        requests: total.requests + readNumber(o, "requestCount"),
        errors: total.errors + readNumber(o, "errorCount"),
      };
    },
    { requests: 0, errors: 0 },
  );
}
