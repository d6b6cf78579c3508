import {
  errorResponses,
  protocolQueryProperty,
  timeRangeQueryProperties,
} from "../../../../http/shared-schemas.js";

export interface RedQuery {
  from?: string;
  to?: string;
  service?: string;
  client?: string;
  server?: string;
  operation?: string;
  target?: string;
  protocol?: string;
  step?: number;
}

const name = { type: "string", maxLength: 512 } as const;

/** The scope a RED series or a heatmap is of (red/index.ts redScopeOf reads them). */
export const scopeQueryProperties = {
  service: name,
  client: name,
  server: name,
  operation: name,
  target: { type: "string", maxLength: 2048 },
} as const;

/** Bucket seconds: whole minutes, as the roll-ups are. */
export const stepQueryProperty = {
  type: "integer",
  minimum: 60,
  maximum: 86_400,
  description: "bucket seconds, a multiple of 60; default picked from the range",
} as const;

export const redSchema = {
  description:
    "RED series for one scope: service (service), edge (client + server) or endpoint (service + operation + target)",
  querystring: {
    type: "object",
    properties: {
      ...timeRangeQueryProperties,
      ...scopeQueryProperties,
      protocol: protocolQueryProperty,
      step: stepQueryProperty,
    },
  },
  response: {
    200: {
      type: "object",
      required: ["from", "to", "scope", "stepSeconds", "observedFrom", "points"],
      properties: {
        from: { type: "string" },
        to: { type: "string" },
        scope: {
          type: "object",
          required: ["kind"],
          properties: {
            kind: { type: "string", enum: ["service", "edge", "endpoint"] },
            service: { type: "string" },
            client: { type: "string" },
            server: { type: "string" },
            operation: { type: "string" },
            target: { type: "string" },
          },
        },
        stepSeconds: { type: "integer" },
        observedFrom: { type: "string", enum: ["client", "server"] },
        points: {
          type: "array",
          items: {
            type: "object",
            required: [
              "time",
              "requests",
              "requestsPerSecond",
              "errors",
              "errorRatio",
              "meanMs",
              "p50Ms",
              "p90Ms",
              "p99Ms",
            ],
            properties: {
              time: { type: "string" },
              requests: { type: "integer" },
              requestsPerSecond: { type: "number" },
              errors: { type: "integer" },
              errorRatio: { type: "number" },
              meanMs: { type: "number" },
              p50Ms: { type: "number" },
              p90Ms: { type: "number" },
              p99Ms: { type: "number" },
            },
          },
        },
      },
    },
    ...errorResponses,
  },
} as const;
