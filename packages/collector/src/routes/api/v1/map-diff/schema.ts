import { errorResponses, timeRangeQueryProperties } from "../../../../http/shared-schemas.js";
import { mapFilterQueryProperties } from "../map/schema.js";

export interface MapDiffQuery {
  from?: string;
  to?: string;
  baselineFrom?: string;
  baselineTo?: string;
  protocol?: string;
  hide?: string;
  namespace?: string;
  workload?: string;
  groupBy?: "service" | "namespace";
}

const figures = {
  type: ["object", "null"],
  required: ["requestCount", "requestsPerSecond", "errorCount", "errorRatio", "p50Ms", "p99Ms"],
  properties: {
    requestCount: { type: "integer" },
    requestsPerSecond: { type: "number" },
    errorCount: { type: "integer" },
    errorRatio: { type: "number" },
    p50Ms: { type: "number" },
    p99Ms: { type: "number" },
  },
} as const;

export const mapDiffSchema = {
  querystring: {
    type: "object",
    properties: {
      ...timeRangeQueryProperties,
      baselineFrom: {
        type: "string",
        description: "baseline start; default: the range of equal length just before from",
      },
      baselineTo: { type: "string", description: "baseline end; default: from" },
      ...mapFilterQueryProperties,
    },
  },
  response: {
    200: {
      type: "object",
      required: ["from", "to", "baselineFrom", "baselineTo", "edges", "newNodes", "vanishedNodes"],
      properties: {
        from: { type: "string" },
        to: { type: "string" },
        baselineFrom: { type: "string" },
        baselineTo: { type: "string" },
        edges: {
          type: "array",
          items: {
            type: "object",
            required: ["id", "source", "target", "status", "baseline", "current", "delta"],
            properties: {
              id: { type: "string" },
              source: { type: "string" },
              target: { type: "string" },
              status: { type: "string", enum: ["new", "vanished", "changed", "unchanged"] },
              baseline: figures,
              current: figures,
              delta: {
                type: ["object", "null"],
                properties: {
                  requestsPerSecond: { type: "number" },
                  errorRatio: { type: "number" },
                  p50Ms: { type: "number" },
                  p99Ms: { type: "number" },
                },
              },
            },
          },
        },
        newNodes: { type: "array", items: { type: "string" } },
        vanishedNodes: { type: "array", items: { type: "string" } },
      },
    },
    ...errorResponses,
  },
} as const;
