import {
  errorResponseSchema,
  errorResponses,
  timeRangeQueryProperties,
} from "../../../../http/shared-schemas.js";
import { requestViewSchema } from "../requests/schema.js";

export interface TraceParams {
  traceId: string;
}

export interface TraceQuery {
  from?: string;
  to?: string;
}

const spanSchema = {
  type: "object",
  required: [
    "spanId",
    "parentSpanId",
    "parentInferred",
    "parentInferredBy",
    "joinedBy",
    "orphan",
    "service",
    "operation",
    "status",
    "startUnixNano",
    "durationMs",
    "critical",
    "depth",
    "childSpanIds",
    "request",
    "observations",
  ],
  properties: {
    spanId: { type: "string" },
    parentSpanId: { type: "string" },
    parentInferred: {
      type: "boolean",
      description:
        "the parent was not propagated but inferred; parentInferredBy says how. Propagate traceparent for exact parentage",
    },
    parentInferredBy: {
      type: "string",
      enum: ["thread", "timing", ""],
      description:
        "thread: the agent saw the call written by the worker thread that was serving the parent request (thread-per-request servers: Java, Python and Ruby threaded servers); it gave an untraced request a trace of its own for that. Never on a process's main thread, where event loops run (Node, asyncio, nginx): one thread serves many requests there, and a timer's or a pool's call cannot be told from a request's; nor on a worker thread seen serving two requests at once (Netty, Vert.x). timing: the parent was not recorded and was chosen here by caller service and enclosing time. Empty when the parent was propagated",
    },
    joinedBy: {
      type: "string",
      enum: ["span", "connection"],
      description:
        "how the call's observations were joined: by their shared span id, or (connection) the server's own row, traced without trace context, found by connection, protocol, operation, target and the nearest time within 5 s",
    },
    orphan: {
      type: "boolean",
      description:
        "the span names a parent that is not in the trace (not kept within the record budget, or not traced), and none could be inferred",
    },
    service: { type: "string", description: "the called service" },
    operation: {
      type: "string",
      description:
        "{method} {route} with ids templated (GET /users/{id}), gRPC's method, a database's operation",
    },
    status: {
      type: "string",
      enum: ["unset", "error"],
      description: "OpenTelemetry's rule: a server span's 4xx is unset, 5xx and failed calls are errors",
    },
    startUnixNano: { type: "string" },
    durationMs: { type: "number" },
    critical: {
      type: "boolean",
      description:
        "on the critical path: back from the last-finishing root's end through the child that finished last, then the child that finished before that one started, and so on (Uber's CRISP); a call that ran beside a longer one is not on it",
    },
    depth: { type: "integer" },
    childSpanIds: { type: "array", items: { type: "string" } },
    request: requestViewSchema,
    observations: { type: "array", items: requestViewSchema },
  },
} as const;

export const traceSchema = {
  summary: "All requests of a trace in the time range, as a span tree in depth-first order",
  tags: ["requests"],
  params: {
    type: "object",
    required: ["traceId"],
    properties: { traceId: { type: "string", pattern: "^[0-9a-fA-F]{32}$", description: "W3C trace id" } },
  },
  querystring: {
    type: "object",
    properties: {
      from: {
        ...timeRangeQueryProperties.from,
        description: "epoch ms or ISO-8601; default: the trace's span from the trace index, else to − 24 h",
      },
      to: timeRangeQueryProperties.to,
    },
  },
  response: {
    200: {
      type: "object",
      required: ["traceId", "from", "to", "requestCount", "truncated", "spans"],
      properties: {
        traceId: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        requestCount: { type: "integer" },
        truncated: { type: "boolean" },
        spans: { type: "array", items: spanSchema },
      },
    },
    404: errorResponseSchema,
    ...errorResponses,
  },
} as const;
