import { errorResponses, timeRangeQueryProperties } from "../../../../http/shared-schemas.js";

export interface FlameGraphQuery {
  from?: string;
  to?: string;
  service?: string;
  pid?: number;
  maxNodes: number;
}

const numbers = { type: "array", items: { type: "number" } } as const;

export const flameGraphSchema = {
  querystring: {
    type: "object",
    properties: {
      ...timeRangeQueryProperties,
      service: { type: "string", maxLength: 512 },
      pid: { type: "integer", minimum: 1, maximum: 4_294_967_295 },
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
      },
    },
    ...errorResponses,
  },
} as const;
