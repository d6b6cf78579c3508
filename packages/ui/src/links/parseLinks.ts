// The links API's answers, read defensively (an old link's stored view and
// frozen copies are whatever the UI of its day wrote).
import { asObject, type JsonObject, readArray, readBoolean, readNumber, readString } from "../api/jsonFields";
import type { GetResponse } from "../api/types";

/** A link as GET /api/v1/links lists it. */
export type LinkSummary = GetResponse<"/api/v1/links">["links"][number];

export interface FrozenEdge {
  source: string;
  target: string;
  protocols: string[];
  requestCount: number;
  errorCount: number;
  p50Ms: number;
  p99Ms: number;
}

export interface FrozenRequest {
  id: string;
  time: string;
  client: string;
  server: string;
  protocol: string;
  operation: string;
  target: string;
  status: number;
  error: boolean;
  durationMs: number;
}

export interface Link extends LinkSummary {
  view: unknown;
  frozenEdges: FrozenEdge[] | null;
  frozenRequests: FrozenRequest[] | null;
}

function summaryOf(o: JsonObject): LinkSummary | undefined {
  const id = readString(o, "id");
  if (id === "") return undefined;
  return {
    id,
    title: readString(o, "title"),
    notes: readString(o, "notes"),
    createdAt: readString(o, "createdAt"),
    createdBy: readString(o, "createdBy"),
    from: readString(o, "from"),
    to: readString(o, "to"),
    frozen: readBoolean(o, "frozen"),
  };
}

export function parseLinkList(body: unknown): LinkSummary[] | undefined {
  const o = asObject(body);
  if (!o || !Array.isArray(o.links)) return undefined;
  return readArray(o, "links").flatMap((item) => {
    const summary = summaryOf(asObject(item) ?? {});
    return summary === undefined ? [] : [summary];
  });
}

function endName(value: unknown): string {
  const end = asObject(value);
  if (!end) return typeof value === "string" ? value : "";
  return readString(end, "service") || `${readString(end, "ip")}:${readNumber(end, "port")}`;
}

function frozenEdge(item: unknown): FrozenEdge {
  const o = asObject(item) ?? {};
  return {
    source: readString(o, "source"),
    target: readString(o, "target"),
    protocols: readArray(o, "protocols").filter((p): p is string => typeof p === "string"),
    requestCount: readNumber(o, "requestCount"),
    errorCount: readNumber(o, "errorCount"),
    p50Ms: readNumber(o, "p50Ms"),
    p99Ms: readNumber(o, "p99Ms"),
  };
}

function frozenRequest(item: unknown): FrozenRequest {
  const o = asObject(item) ?? {};
  return {
    id: readString(o, "id"),
    time: readString(o, "time"),
    client: endName(o.client),
    server: endName(o.server),
    protocol: readString(o, "protocol"),
    operation: readString(o, "operation"),
    target: readString(o, "target"),
    status: readNumber(o, "status"),
    error: readBoolean(o, "error"),
    durationMs: readNumber(o, "durationMs"),
  };
}

export function parseLink(body: unknown): Link | undefined {
  const o = asObject(body);
  const summary = o && summaryOf(o);
  if (!o || !summary) return undefined;
  const map = asObject(o.frozenMap);
  return {
    ...summary,
    view: o.view,
    frozenEdges: map ? readArray(map, "edges").map(frozenEdge) : null,
    frozenRequests: Array.isArray(o.frozenRequests) ? o.frozenRequests.map(frozenRequest) : null,
  };
}
