// The collector's HTTP API (/api/v1), as the UI consumes it. Shapes mirror the
// collector contract; the parsers in this folder turn unknown JSON into these types.

export type NodeKind = "service" | "external";

export interface MapNode {
  id: string;
  label: string;
  kind: NodeKind;
  requestCount: number;
  errorCount: number;
}

export interface MapEdge {
  id: string;
  source: string;
  target: string;
  protocols: string[];
  requestCount: number;
  errorCount: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ServiceMap {
  from: string;
  to: string;
  nodes: MapNode[];
  edges: MapEdge[];
}

export interface Endpoint {
  service: string;
  ip: string;
  port: number;
  pid: number;
  processName: string;
}

export type RequestSide = "client" | "server";

export interface RequestRecord {
  time: string;
  timeUnixNano: string;
  protocol: string;
  side: RequestSide;
  client: Endpoint;
  server: Endpoint;
  operation: string;
  target: string;
  status: number;
  error: boolean;
  durationMs: number;
  requestBytes: number;
  responseBytes: number;
  traceId: string;
  agentId: string;
}

export type ApiErrorCode = "bad_request" | "not_found" | "internal";

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}
