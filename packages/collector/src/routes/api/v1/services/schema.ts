import { errorResponses, timeRangeQueryProperties } from "../../../../http/shared-schemas.js";

export interface ServicesQuery {
  from?: string;
  to?: string;
}

export const servicesSchema = {
  querystring: { type: "object", properties: { ...timeRangeQueryProperties } },
  response: {
    200: {
      type: "object",
      required: ["services"],
      properties: {
        services: {
          type: "array",
          items: {
            type: "object",
            required: ["name", "requestCount", "errorCount"],
            properties: {
              name: { type: "string" },
              requestCount: { type: "integer" },
              errorCount: { type: "integer" },
            },
          },
        },
      },
    },
    ...errorResponses,
  },
} as const;
