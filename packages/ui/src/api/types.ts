// The collector's HTTP API (/api/v1) as the UI consumes it, derived from the types
// generated from the collector's OpenAPI document (generated.ts; issue #11.12), so a
// field renamed or retyped in a route schema breaks the UI's typecheck, not its pages.
// Where a view reads only part of a response, the type picks those fields: the
// parsers in this folder fill exactly them from untrusted JSON.
import type { paths } from "./generated";

type Json<R> = R extends { content: { "application/json": infer B } } ? B : never;

/** The JSON body a GET answers with 200. */
export type GetResponse<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: infer R } };
}
  ? Json<R>
  : never;

/** The query parameters a GET takes. */
export type GetQuery<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } }
  ? NonNullable<Q>
  : never;

/** The JSON body a PUT sends. */
export type PutBody<P extends keyof paths> = paths[P] extends {
  put: { requestBody: { content: { "application/json": infer B } } };
}
  ? B
  : never;

/** The JSON body a PUT answers with 200. */
export type PutResponse<P extends keyof paths> = paths[P] extends {
  put: { responses: { 200: infer R } };
}
  ? Json<R>
  : never;

type ApiMap = GetResponse<"/api/v1/map">;
type ApiMapNode = ApiMap["nodes"][number];
type ApiMapEdge = ApiMap["edges"][number];
type ApiRequest = GetResponse<"/api/v1/requests">["requests"][number];

export type NodeKind = ApiMapNode["kind"];

export type MapNode = Pick<ApiMapNode, "id" | "label" | "kind" | "requestCount" | "errorCount">;

export type MapEdge = Pick<
  ApiMapEdge,
  "id" | "source" | "target" | "protocols" | "requestCount" | "errorCount" | "p50Ms" | "p99Ms"
>;

export interface ServiceMap extends Pick<ApiMap, "from" | "to"> {
  nodes: MapNode[];
  edges: MapEdge[];
}

export type Endpoint = Pick<ApiRequest["client"], "service" | "ip" | "port" | "pid" | "processName">;

export type RequestSide = ApiRequest["side"];

export interface RequestRecord
  extends Pick<
    ApiRequest,
    | "time"
    | "timeUnixNano"
    | "protocol"
    | "side"
    | "operation"
    | "target"
    | "status"
    | "error"
    | "durationMs"
    | "requestBytes"
    | "responseBytes"
    | "traceId"
    | "agentId"
  > {
  client: Endpoint;
  server: Endpoint;
}

export type ApiErrorBody = Json<paths["/api/v1/map"]["get"]["responses"][400]>;
export type ApiErrorCode = ApiErrorBody["error"]["code"];

/** GET /api/v1/agents: one agent. */
export type Agent = GetResponse<"/api/v1/agents">["agents"][number];
/** The collection config the agents' config API accepts (PUT /api/v1/agents/config). */
export type CollectionConfig = PutBody<"/api/v1/agents/config">;
/** A stored config as GET/PUT /api/v1/agents/config answer it. */
export type StoredConfig = PutResponse<"/api/v1/agents/config">;
