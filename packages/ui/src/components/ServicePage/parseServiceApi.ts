// Readers for the collector responses the service pages use. Like api/parse*,
// they never throw: entries missing their key fields are dropped, missing
// figures read as 0, and a body of the wrong shape gives undefined (an error state).
import { asObject, readArray, readNumber, readString } from "../../api/jsonFields";

export interface RedPoint {
  /** Bucket start, epoch ms. */
  t: number;
  requests: number;
  requestsPerSecond: number;
  errors: number;
  errorRatio: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

export interface RedSeries {
  stepSeconds: number;
  observedFrom: "client" | "server";
  points: RedPoint[];
}

export interface ServiceSummary {
  name: string;
  namespace: string | undefined;
  requestCount: number;
  errorCount: number;
}

export interface EndpointSummary {
  service: string;
  protocol: string;
  operation: string;
  target: string;
  requestCount: number;
  requestsPerSecond: number;
  errorCount: number;
  errorRatio: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

export interface EdgeSummary {
  source: string;
  target: string;
  protocols: string[];
  requestCount: number;
  errorCount: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

export interface ConnectionInterval {
  time: number;
  connectionId: string;
  pid: number;
  process: string;
  role: string;
  remote: string;
  retransmits: number;
  resetsSent: number;
  resetsReceived: number;
  connectFailed: boolean;
  srttUs: number;
}

/** A request's end, as much as the TCP panel needs to tell which end is the service. */
export interface RequestEnd {
  service: string;
  workload: string;
  processName: string;
  pid: number;
  port: number;
}

function list<T>(root: Record<string, unknown>, key: string, one: (raw: unknown) => T | undefined): T[] {
  return readArray(root, key).flatMap((raw) => {
    const value = one(raw);
    return value === undefined ? [] : [value];
  });
}

export function parseRed(body: unknown): RedSeries | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.points)) return undefined;
  return {
    stepSeconds: readNumber(root, "stepSeconds", 60),
    observedFrom: root.observedFrom === "client" ? "client" : "server",
    points: list(root, "points", (raw) => {
      const point = asObject(raw);
      const t = point ? Date.parse(readString(point, "time")) : Number.NaN;
      if (!point || Number.isNaN(t)) return undefined;
      return {
        t,
        requests: readNumber(point, "requests"),
        requestsPerSecond: readNumber(point, "requestsPerSecond"),
        errors: readNumber(point, "errors"),
        errorRatio: readNumber(point, "errorRatio"),
        p50Ms: readNumber(point, "p50Ms"),
        p90Ms: readNumber(point, "p90Ms"),
        p99Ms: readNumber(point, "p99Ms"),
      };
    }),
  };
}

export function parseServices(body: unknown): ServiceSummary[] | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.services)) return undefined;
  return list(root, "services", (raw) => {
    const service = asObject(raw);
    const name = service ? readString(service, "name") : "";
    if (!service || name === "") return undefined;
    return {
      name,
      namespace: readString(service, "namespace") || undefined,
      requestCount: readNumber(service, "requestCount"),
      errorCount: readNumber(service, "errorCount"),
    };
  });
}

export function parseEndpoints(body: unknown): EndpointSummary[] | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.endpoints)) return undefined;
  return list(root, "endpoints", (raw) => {
    const endpoint = asObject(raw);
    if (!endpoint) return undefined;
    return {
      service: readString(endpoint, "service"),
      protocol: readString(endpoint, "protocol"),
      operation: readString(endpoint, "operation"),
      target: readString(endpoint, "target"),
      requestCount: readNumber(endpoint, "requestCount"),
      requestsPerSecond: readNumber(endpoint, "requestsPerSecond"),
      errorCount: readNumber(endpoint, "errorCount"),
      errorRatio: readNumber(endpoint, "errorRatio"),
      p50Ms: readNumber(endpoint, "p50Ms"),
      p90Ms: readNumber(endpoint, "p90Ms"),
      p99Ms: readNumber(endpoint, "p99Ms"),
    };
  });
}

export function parseMapEdges(body: unknown): EdgeSummary[] | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.edges)) return undefined;
  return list(root, "edges", (raw) => {
    const edge = asObject(raw);
    const source = edge ? readString(edge, "source") : "";
    const target = edge ? readString(edge, "target") : "";
    if (!edge || source === "" || target === "") return undefined;
    return {
      source,
      target,
      protocols: readArray(edge, "protocols").filter((p): p is string => typeof p === "string"),
      requestCount: readNumber(edge, "requestCount"),
      errorCount: readNumber(edge, "errorCount"),
      p50Ms: readNumber(edge, "p50Ms"),
      p90Ms: readNumber(edge, "p90Ms"),
      p99Ms: readNumber(edge, "p99Ms"),
    };
  });
}

export function parseConnections(body: unknown): ConnectionInterval[] | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.connections)) return undefined;
  return list(root, "connections", (raw) => {
    const row = asObject(raw);
    if (!row) return undefined;
    const remote = asObject(row.remote);
    return {
      time: readNumber(row, "time"),
      connectionId: readString(row, "connectionId"),
      pid: readNumber(row, "pid"),
      process: readString(row, "process"),
      role: readString(row, "role"),
      remote: remote ? `${readString(remote, "ip")}:${readNumber(remote, "port")}` : "",
      retransmits: readNumber(row, "retransmits"),
      resetsSent: readNumber(row, "resetsSent"),
      resetsReceived: readNumber(row, "resetsReceived"),
      connectFailed: row.connectFailed === true,
      srttUs: readNumber(row, "srttUs"),
    };
  });
}

function parseEnd(raw: unknown): RequestEnd | undefined {
  const end = asObject(raw);
  if (!end) return undefined;
  return {
    service: readString(end, "service"),
    workload: readString(end, "workload"),
    processName: readString(end, "processName"),
    pid: readNumber(end, "pid"),
    port: readNumber(end, "port"),
  };
}

/** The two ends of each request on a /api/v1/requests page. */
export function parseRequestEnds(body: unknown): { client: RequestEnd; server: RequestEnd }[] | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.requests)) return undefined;
  return list(root, "requests", (raw) => {
    const request = asObject(raw);
    const client = parseEnd(request?.client);
    const server = parseEnd(request?.server);
    return client && server ? { client, server } : undefined;
  });
}
