// The shapes of GET /api/v1/requests, /requests/{id}, /names and /connections as the
// requests explorer reads them (the collector's schemas under
// packages/collector/src/routes/api/v1/). Parsed by parseRequestsApi.ts.

export interface EndpointView {
  service: string;
  ip: string;
  port: number;
  pid: number;
  processName: string;
  /** Kubernetes identity; "" when unknown (a host, or an address outside the cluster). */
  namespace: string;
  workload: string;
  pod: string;
  node: string;
}

export interface RequestView {
  /** Stable id of this observation, for GET /api/v1/requests/{id}. */
  id: string;
  time: string;
  timeUnixNano: string;
  protocol: string;
  side: "client" | "server";
  client: EndpointView;
  server: EndpointView;
  operation: string;
  target: string;
  status: number;
  error: boolean;
  durationMs: number;
  requestBytes: number;
  responseBytes: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  agentId: string;
  /** How many requests this record stands for (1 when it was not sampled). */
  sampleWeight: number;
}

export interface RequestDetailView extends RequestView {
  attributes: Record<string, string>;
  truncated: boolean;
}

export interface RequestDetail {
  request: RequestDetailView;
  /** Every observation of the call: client first, then server, when both ends were traced. */
  observations: RequestDetailView[];
}

/** The API's account of how the records on one page were sampled. */
export interface PageSampling {
  sampled: boolean;
  records: number;
  estimatedRequests: number;
  maxSampleWeight: number;
}

export interface RequestsPage {
  requests: RequestView[];
  nextCursor: string | null;
  sampling: PageSampling;
}

export interface PickerName {
  name: string;
  requests: number;
}

export interface ConnectionInterval {
  time: number;
  connectionId: string;
  intervalMs: number;
  role: string;
  pid: number;
  process: string;
  local: { ip: string; port: number };
  remote: { ip: string; port: number };
  bytesSent: number;
  bytesReceived: number;
  retransmits: number;
  resetsSent: number;
  resetsReceived: number;
  connectFailed: boolean;
  connectMs: number;
  srttUs: number;
  state: string;
}

export interface RedPoint {
  time: string;
  requests: number;
  errors: number;
}
