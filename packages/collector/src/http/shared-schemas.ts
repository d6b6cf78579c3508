// JSON-schema fragments shared by several routes.
import { PROTOCOL_NAMES } from "@periscope/proto";

export const timeRangeQueryProperties = {
  from: { type: "string", description: "epoch milliseconds or ISO-8601; default to − 15 min" },
  to: { type: "string", description: "epoch milliseconds or ISO-8601; default now" },
} as const;

// An empty value means "no filter": a form's blank select sends `protocol=`.
export const protocolQueryProperty = { type: "string", enum: [...PROTOCOL_NAMES, ""] } as const;

export const errorResponseSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: {
          type: "string",
          enum: ["bad_request", "unauthorized", "forbidden", "not_found", "payload_too_large", "internal"],
        },
        message: { type: "string" },
      },
    },
  },
} as const;

export const errorResponses = { 400: errorResponseSchema, 500: errorResponseSchema } as const;
