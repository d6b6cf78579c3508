import {
  errorResponseSchema,
  errorResponses,
  protocolQueryProperty,
  timeRangeQueryProperties,
} from "../../../../http/shared-schemas.js";
import { kubernetesFilterProperties } from "../../../../query/kubernetes-filter.js";

export interface RequestsQuery {
  from?: string;
  to?: string;
  protocol?: string;
  service?: string;
  peer?: string;
  operation?: string;
  target?: string;
  status?: string;
  error?: "true" | "false" | "";
  minDurationMs?: string;
  maxDurationMs?: string;
  traceId?: string;
  namespace?: string;
  workload?: string;
  pod?: string;
  node?: string;
  observations: "one" | "all";
  limit: number;
  cursor?: string;
}

// Numeric filters travel as patterned strings, not integers: AJV would coerce
// a blank form field ("status=") to 0, a real filter nobody asked for.
const optionalInteger = { type: "string", pattern: "^(-?\\d{1,10})?$" } as const;
const optionalMilliseconds = { type: "string", pattern: "^(\\d{1,12}(\\.\\d{1,6})?)?$" } as const;

export const endpointSchema = {
  type: "object",
  required: [
    "service",
    "ip",
    "port",
    "pid",
    "processName",
    "containerId",
    "namespace",
    "workload",
    "pod",
    "node",
  ],
  properties: {
    service: { type: "string" },
    ip: { type: "string" },
    port: { type: "integer" },
    pid: { type: "integer" },
    processName: { type: "string" },
    containerId: {
      type: "string",
      description:
        "container of the process (docker, containerd, cri-o or podman id, 64 hex); empty outside containers",
    },
    namespace: { type: "string", description: "Kubernetes namespace; empty when unknown" },
    workload: { type: "string", description: "Deployment, StatefulSet, DaemonSet, CronJob… name" },
    pod: { type: "string" },
    node: { type: "string", description: "Kubernetes node, or the agent's host outside Kubernetes" },
  },
} as const;

const requestProperties = {
  id: { type: "string", description: "stable id of this observation, for GET /api/v1/requests/{id}" },
  time: { type: "string" },
  timeUnixNano: { type: "string" },
  protocol: { type: "string" },
  side: { type: "string", enum: ["client", "server"] },
  client: endpointSchema,
  server: endpointSchema,
  operation: { type: "string" },
  target: { type: "string" },
  status: { type: "integer" },
  error: { type: "boolean" },
  durationMs: { type: "number" },
  requestBytes: { type: "integer" },
  responseBytes: { type: "integer" },
  traceId: { type: "string" },
  spanId: { type: "string" },
  parentSpanId: { type: "string" },
  agentId: { type: "string" },
  sampleWeight: {
    type: "number",
    description:
      "how many requests this record stands for: 1, or 1 / the probability the agent's record budget kept it with",
  },
} as const;

export const requestViewSchema = {
  type: "object",
  required: Object.keys(requestProperties),
  properties: requestProperties,
} as const;

export const requestDetailSchema = {
  type: "object",
  required: [...Object.keys(requestProperties), "attributes", "truncated"],
  properties: {
    ...requestProperties,
    attributes: { type: "object", additionalProperties: { type: "string" } },
    truncated: { type: "boolean" },
  },
} as const;

const samplingSchema = {
  type: "object",
  description:
    "Whether the records on this page were sampled and by how much. Agents keep records within a budget " +
    "(errors, slow and traced requests first, the rest uniformly), each with its sampleWeight; exact " +
    "request counts are the map's, RED's and the endpoints' (from metrics of every request).",
  required: ["sampled", "records", "estimatedRequests", "maxSampleWeight"],
  properties: {
    sampled: { type: "boolean", description: "true when any record listed stands for more than itself" },
    records: { type: "integer", description: "records on this page" },
    estimatedRequests: {
      type: "number",
      description: "estimate: the sum of the records' weights, the requests they stand for",
    },
    maxSampleWeight: { type: "number", description: "the largest weight on the page" },
  },
} as const;

export const requestFilterProperties = {
  protocol: protocolQueryProperty,
  service: { type: "string", maxLength: 512, description: "client or server name" },
  peer: {
    type: "string",
    maxLength: 512,
    description: "the other end; with service, calls between the two in either direction",
  },
  operation: { type: "string", maxLength: 256, description: "exact: GET, SELECT, HGET…" },
  target: { type: "string", maxLength: 1024, description: "case-insensitive substring of the target" },
  status: { ...optionalInteger, description: "exact status code" },
  error: { type: "string", enum: ["true", "false", ""] },
  minDurationMs: { ...optionalMilliseconds, description: "at least this many milliseconds" },
  maxDurationMs: { ...optionalMilliseconds, description: "at most this many milliseconds" },
  traceId: { type: "string", pattern: "^([0-9a-fA-F]{32})?$", description: "W3C trace id, 32 hex" },
  ...kubernetesFilterProperties,
  observations: { type: "string", enum: ["one", "all"], default: "one" },
  limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
} as const;

export const requestsSchema = {
  summary: "Search requests, newest first, one page at a time",
  tags: ["requests"],
  querystring: {
    type: "object",
    properties: {
      ...timeRangeQueryProperties,
      ...requestFilterProperties,
      cursor: { type: "string", maxLength: 200, description: "nextCursor of the previous page" },
    },
  },
  response: {
    200: {
      type: "object",
      required: ["requests", "nextCursor", "sampling"],
      properties: {
        requests: { type: "array", items: requestViewSchema },
        nextCursor: { type: ["string", "null"] },
        sampling: samplingSchema,
      },
    },
    ...errorResponses,
  },
} as const;

export interface RequestDetailParams {
  id: string;
}

export const requestDetailRouteSchema = {
  summary: "One request with its attributes, and the other end's observation when both were traced",
  tags: ["requests"],
  params: {
    type: "object",
    required: ["id"],
    properties: { id: { type: "string", maxLength: 64 } },
  },
  response: {
    200: {
      type: "object",
      required: ["request", "observations"],
      properties: {
        request: requestDetailSchema,
        observations: {
          type: "array",
          description: "every observation of this call: this one, and the other end's if it was traced",
          items: requestDetailSchema,
        },
      },
    },
    404: errorResponseSchema,
    ...errorResponses,
  },
} as const;
