import { errorResponses, timeRangeQueryProperties } from "../../../../http/shared-schemas.js";
import { type RedQuery, scopeQueryProperties, stepQueryProperty } from "../red/schema.js";

export type HeatmapQuery = Omit<RedQuery, "protocol">;

export const heatmapSchema = {
  summary:
    "Latency heatmap (time × duration) from every request's metric series, exact, not from sampled records",
  description:
    "For a service (service), an edge (client + server), an endpoint (service + operation + target), or with none of them every call in the cluster, each counted once. Rows double in width from 62.5 µs to 65 s; errors are per column.",
  tags: ["metrics"],
  querystring: {
    type: "object",
    additionalProperties: false,
    properties: {
      ...timeRangeQueryProperties,
      ...scopeQueryProperties,
      step: stepQueryProperty,
    },
  },
  response: {
    200: {
      type: "object",
      required: ["from", "to", "stepSeconds", "observedFrom", "rows", "columns"],
      properties: {
        from: { type: "string" },
        to: { type: "string" },
        stepSeconds: { type: "integer" },
        observedFrom: { type: "string", enum: ["client", "server", "edges"] },
        rows: {
          type: "array",
          description:
            "duration rows, fastest first; the first also holds everything faster, the last everything slower",
          items: {
            type: "object",
            required: ["fromMs", "toMs"],
            properties: { fromMs: { type: "number" }, toMs: { type: "number" } },
          },
        },
        columns: {
          type: "array",
          items: {
            type: "object",
            required: ["time", "requests", "errors", "counts"],
            properties: {
              time: { type: "string", description: "column start, ISO-8601" },
              requests: { type: "integer" },
              errors: { type: "integer" },
              counts: { type: "array", items: { type: "integer" }, description: "requests per row" },
            },
          },
        },
      },
    },
    ...errorResponses,
  },
} as const;
