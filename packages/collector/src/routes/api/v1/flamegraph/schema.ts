import { errorResponses, timeRangeQueryProperties } from "../../../../http/shared-schemas.js";

export interface FlameGraphQuery {
  from?: string;
  to?: string;
  service?: string;
  pid?: number;
  process?: string;
  namespace?: string;
  pod?: string;
  container?: string;
  node?: string;
  splitBy?: string;
  baselineFrom?: string;
  baselineTo?: string;
  maxNodes: number;
}

const numbers = { type: "array", items: { type: "number" } } as const;
const name = { type: "string", maxLength: 512 } as const;

export const flameGraphSchema = {
  summary:
    "CPU flame graph of a scope over a range; split by synthetic root frames; a diff against a baseline range",
  tags: ["profiles"],
  querystring: {
    type: "object",
    additionalProperties: false,
    properties: {
      ...timeRangeQueryProperties,
      service: name,
      pid: { type: "integer", minimum: 1, maximum: 4_294_967_295 },
      process: name,
      namespace: name,
      pod: name,
      container: {
        type: "string",
        pattern: "^[0-9a-f]{12,64}$",
        description:
          "the sampled process's container id: all 64 hex digits or the first 12 (as docker ps shows it)",
      },
      node: { ...name, description: "the agent (node) that took the samples" },
      splitBy: {
        type: "string",
        pattern: "^((node|namespace|pod|service|process)(,(node|namespace|pod|service|process))*)?$",
        description:
          "synthetic root frames, outermost first, e.g. node,process: '[node] a' > '[process] node 1234' > stacks",
      },
      baselineFrom: {
        ...timeRangeQueryProperties.from,
        description: "a diff: the baseline range's start (with baselineTo)",
      },
      baselineTo: { ...timeRangeQueryProperties.to, description: "a diff: the baseline range's end" },
      maxNodes: { type: "integer", minimum: 100, maximum: 100_000, default: 20_000 },
    },
  },
  response: {
    200: {
      type: "object",
      required: ["from", "to", "total", "truncated", "names", "levels", "values", "selfs"],
      properties: {
        from: { type: "string" },
        to: { type: "string" },
        total: { type: "integer" },
        truncated: { type: "boolean" },
        names: { type: "array", items: { type: "string" } },
        levels: numbers,
        values: numbers,
        selfs: numbers,
        baseline: {
          type: "object",
          description:
            "a diff's baseline range over the same nodes; compare values[i]/total with baseline.values[i]/baseline.total",
          required: ["from", "to", "total", "values", "selfs"],
          properties: {
            from: { type: "string" },
            to: { type: "string" },
            total: { type: "integer" },
            values: numbers,
            selfs: numbers,
          },
        },
      },
    },
    ...errorResponses,
  },
} as const;
