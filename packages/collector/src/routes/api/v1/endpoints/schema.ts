import {
  errorResponses,
  protocolQueryProperty,
  timeRangeQueryProperties,
} from "../../../../http/shared-schemas.js";
import { ENDPOINT_SORTS, type EndpointSort } from "../../../../query/endpoints-query.js";

export interface EndpointsQuery {
  from?: string;
  to?: string;
  service?: string;
  protocol?: string;
  sort: EndpointSort;
  limit: number;
}

export const endpointsSchema = {
  querystring: {
    type: "object",
    properties: {
      ...timeRangeQueryProperties,
      service: { type: "string", maxLength: 512 },
      protocol: protocolQueryProperty,
      sort: { type: "string", enum: [...ENDPOINT_SORTS], default: "requests" },
      limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
    },
  },
  response: {
    200: {
      type: "object",
      required: ["from", "to", "endpoints"],
      properties: {
        from: { type: "string" },
        to: { type: "string" },
        endpoints: {
          type: "array",
          items: {
            type: "object",
            required: [
              "service",
              "protocol",
              "operation",
              "target",
              "requestCount",
              "requestsPerSecond",
              "errorCount",
              "errorRatio",
              "meanMs",
              "p50Ms",
              "p90Ms",
              "p99Ms",
              "observedFrom",
            ],
            properties: {
              service: { type: "string" },
              protocol: { type: "string" },
              operation: { type: "string" },
              target: { type: "string" },
              requestCount: { type: "integer" },
              requestsPerSecond: { type: "number" },
              errorCount: { type: "integer" },
              errorRatio: { type: "number" },
              meanMs: { type: "number" },
              p50Ms: { type: "number" },
              p90Ms: { type: "number" },
              p99Ms: { type: "number" },
              observedFrom: { type: "string", enum: ["client", "server"] },
            },
          },
        },
      },
    },
    ...errorResponses,
  },
} as const;
