// What the map's side panel reads from the API for a clicked node or edge: RED series
// (/api/v1/red), top endpoints (/api/v1/endpoints) and recent requests (/api/v1/requests),
// parsed from unknown JSON into the few fields the panel shows, and the URLs it links to.
import { asObject, readArray, readBoolean, readNumber, readString } from "../api/jsonFields";

export interface RedPoint {
  timeMs: number;
  requestsPerSecond: number;
  errorRatio: number;
  p99Ms: number;
}

export interface PanelEndpoint {
  protocol: string;
  operation: string;
  target: string;
  requestsPerSecond: number;
  errorRatio: number;
  p99Ms: number;
}

export interface PanelRequest {
  id: string;
  timeMs: number;
  client: string;
  server: string;
  operation: string;
  target: string;
  status: number;
  error: boolean;
  durationMs: number;
}

export function parseRed(body: unknown): RedPoint[] | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.points)) return undefined;
  return readArray(root, "points").flatMap((raw) => {
    const point = asObject(raw);
    const timeMs = point ? Date.parse(readString(point, "time")) : Number.NaN;
    if (!point || !Number.isFinite(timeMs)) return [];
    return [
      {
        timeMs,
        requestsPerSecond: readNumber(point, "requestsPerSecond"),
        errorRatio: readNumber(point, "errorRatio"),
        p99Ms: readNumber(point, "p99Ms"),
      },
    ];
  });
}

export function parseEndpoints(body: unknown): PanelEndpoint[] | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.endpoints)) return undefined;
  return readArray(root, "endpoints").flatMap((raw) => {
    const endpoint = asObject(raw);
    if (!endpoint) return [];
    return [
      {
        protocol: readString(endpoint, "protocol"),
        operation: readString(endpoint, "operation"),
        target: readString(endpoint, "target"),
        requestsPerSecond: readNumber(endpoint, "requestsPerSecond"),
        errorRatio: readNumber(endpoint, "errorRatio"),
        p99Ms: readNumber(endpoint, "p99Ms"),
      },
    ];
  });
}

export function parsePanelRequests(body: unknown): PanelRequest[] | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.requests)) return undefined;
  return readArray(root, "requests").flatMap((raw) => {
    const request = asObject(raw);
    if (!request) return [];
    const client = asObject(request.client);
    const server = asObject(request.server);
    return [
      {
        id: readString(request, "id"),
        timeMs: Date.parse(readString(request, "time")),
        client: client ? readString(client, "service") : "",
        server: server ? readString(server, "service") : "",
        operation: readString(request, "operation"),
        target: readString(request, "target"),
        status: readNumber(request, "status"),
        error: readBoolean(request, "error"),
        durationMs: readNumber(request, "durationMs"),
      },
    ];
  });
}

/** The API calls behind a node's panel; `range` is the frame's from/to (ISO). */
export function nodePanelUrls(service: string, range: { from: string; to: string }) {
  const base = { from: range.from, to: range.to };
  return {
    red: `/api/v1/red?${new URLSearchParams({ ...base, service })}`,
    endpoints: `/api/v1/endpoints?${new URLSearchParams({ ...base, service, limit: "5" })}`,
    errors: `/api/v1/requests?${new URLSearchParams({ ...base, service, error: "true", limit: "5" })}`,
  };
}

/** The API calls behind an edge's panel: its RED and the calls between the pair. */
export function edgePanelUrls(client: string, server: string, range: { from: string; to: string }) {
  const base = { from: range.from, to: range.to };
  return {
    red: `/api/v1/red?${new URLSearchParams({ ...base, client, server })}`,
    requests: `/api/v1/requests?${new URLSearchParams({ ...base, service: client, peer: server, limit: "10" })}`,
  };
}

/** Links out of the panel, carrying the frame's query (range, filters) along. */
export function nodeLinks(service: string, frameQuery: URLSearchParams) {
  const withService = (path: string) => {
    const params = new URLSearchParams(frameQuery);
    params.set("service", service);
    return `${path}?${params}`;
  };
  const frameOnly = frameQuery.toString();
  return {
    requests: withService("/requests"),
    servicePage: `/services/${encodeURIComponent(service)}${frameOnly ? `?${frameOnly}` : ""}`,
    flame: withService("/flame"),
  };
}

export function edgeRequestsLink(client: string, server: string, frameQuery: URLSearchParams): string {
  const params = new URLSearchParams(frameQuery);
  params.set("service", client);
  params.set("peer", server);
  return `/requests?${params}`;
}

/**
 * An SVG path through `values` scaled into width × height (y grows down), or "" with
 * fewer than two points. The top is the series' max so the shape, not the scale, shows.
 */
export function sparklinePath(values: readonly number[], width: number, height: number): string {
  if (values.length < 2) return "";
  const max = Math.max(...values.map((v) => (Number.isFinite(v) ? v : 0)));
  const step = width / (values.length - 1);
  return values
    .map((value, i) => {
      const v = Number.isFinite(value) ? value : 0;
      const y = max > 0 ? height - (v / max) * height : height;
      return `${i === 0 ? "M" : "L"}${round(i * step)},${round(y)}`;
    })
    .join(" ");
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
