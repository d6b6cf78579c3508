import {
  errorResponses,
  protocolQueryProperty,
  timeRangeQueryProperties,
} from "../../../../http/shared-schemas.js";

export interface RequestsQuery {
  from?: string;
  to?: string;
  protocol?: string;
  service?: string;
  observations: "one" | "all";
  limit: number;
}

const endpointSchema = {
  type: "object",
  required: ["service", "ip", "port", "pid", "processName"],
  properties: {
    service: { type: "string" },
    ip: { type: "string" },
    port: { type: "integer" },
    pid: { type: "integer" },
    processName: { type: "string" },
  },
} as const;

export const requestsSchema = {
  querystring: {
    type: "object",
    properties: {
      ...timeRangeQueryProperties,
      protocol: protocolQueryProperty,
      service: { type: "string", maxLength: 512 },
      observations: { type: "string", enum: ["one", "all"], default: "one" },
      limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
    },
  },
  response: {
    200: {
      type: "object",
      required: ["requests"],
      properties: {
        requests: {
          type: "array",
          items: {
            type: "object",
            required: [
              "time",
              "timeUnixNano",
              "protocol",
              "side",
              "client",
              "server",
              "operation",
              "target",
              "status",
              "error",
              "durationMs",
              "requestBytes",
              "responseBytes",
              "traceId",
              "agentId",
            ],
            properties: {
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
              agentId: { type: "string" },
            },
          },
        },
      },
    },
    ...errorResponses,
  },
} as const;
