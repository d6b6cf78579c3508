// The shapes of GET /api/v1/requests, /requests/{id}, /names and /connections as the
// requests explorer reads them: the API's own types (generated from the collector's
// OpenAPI document) where the explorer keeps them as sent, its own where it reshapes
// them. Parsed by parseRequestsApi.ts.
import type { GetResponse } from "../api/types";

type RequestsResponse = GetResponse<"/api/v1/requests">;

/** One observation of a request, as the API lists it. */
export type RequestView = RequestsResponse["requests"][number];
export type EndpointView = RequestView["client"];
/** GET /api/v1/requests/{id}: the observation with its attributes, and every observation of the call. */
export type RequestDetail = GetResponse<"/api/v1/requests/{id}">;
export type RequestDetailView = RequestDetail["request"];
/** The API's account of how the records on one page were sampled. */
export type PageSampling = RequestsResponse["sampling"];

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
