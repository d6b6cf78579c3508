import {
  errorResponses,
  protocolQueryProperty,
  timeRangeQueryProperties,
} from "../../../../http/shared-schemas.js";

export interface MapQuery {
  from?: string;
  to?: string;
  protocol?: string;
}

export const mapSchema = {
  querystring: {
    type: "object",
    properties: { ...timeRangeQueryProperties, protocol: protocolQueryProperty },
  },
  response: {
    200: {
      type: "object",
      required: ["from", "to", "nodes", "edges"],
      properties: {
        from: { type: "string" },
        to: { type: "string" },
        nodes: {
          type: "array",
          items: {
            type: "object",
            required: ["id", "label", "kind", "requestCount", "errorCount"],
            properties: {
              id: { type: "string" },
              label: { type: "string" },
              kind: { type: "string", enum: ["service", "external"] },
              requestCount: { type: "integer" },
              errorCount: { type: "integer" },
            },
          },
        },
        edges: {
          type: "array",
          items: {
            type: "object",
            required: ["id", "source", "target", "protocols", "requestCount", "errorCount", "p50Ms", "p99Ms"],
            properties: {
              id: { type: "string" },
              source: { type: "string" },
              target: { type: "string" },
              protocols: { type: "array", items: { type: "string" } },
              requestCount: { type: "integer" },
              errorCount: { type: "integer" },
              p50Ms: { type: "number" },
              p99Ms: { type: "number" },
            },
          },
        },
      },
    },
    ...errorResponses,
  },
} as const;
