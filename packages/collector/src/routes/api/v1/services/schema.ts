import { errorResponses, timeRangeQueryProperties } from "../../../../http/shared-schemas.js";
import { kubernetesFilterProperties } from "../../../../query/kubernetes-filter.js";

export interface ServicesQuery {
  from?: string;
  to?: string;
  namespace?: string;
}

export const servicesSchema = {
  querystring: {
    type: "object",
    properties: { ...timeRangeQueryProperties, namespace: kubernetesFilterProperties.namespace },
  },
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
              namespace: { type: "string", description: "Kubernetes namespace; absent outside Kubernetes" },
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
