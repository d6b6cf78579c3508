import {
  errorResponses,
  protocolQueryProperty,
  timeRangeQueryProperties,
} from "../../../../http/shared-schemas.js";
import { kubernetesFilterProperties } from "../../../../query/kubernetes-filter.js";

export interface MapQuery {
  from?: string;
  to?: string;
  protocol?: string;
  errorsOnly?: boolean;
  hide?: string;
  namespace?: string;
  workload?: string;
  groupBy?: "service" | "namespace";
}

/** Filters shared by the map and the map diff. */
export const mapFilterQueryProperties = {
  protocol: protocolQueryProperty,
  hide: { type: "string", maxLength: 65_536, description: "comma-separated node names to leave out" },
  namespace: { type: "string", maxLength: 512, description: "only edges with an end in this namespace" },
  workload: {
    ...kubernetesFilterProperties.workload,
    description:
      "only edges with an end that is this workload (Deployment, StatefulSet, … name; a Service's name); with namespace, the one in it",
  },
  groupBy: {
    type: "string",
    enum: ["service", "namespace", ""],
    description: "node per service (default) or per namespace",
  },
} as const;

export const mapNodeSchema = {
  type: "object",
  required: ["id", "label", "kind", "requestCount", "errorCount"],
  properties: {
    id: { type: "string" },
    label: { type: "string" },
    kind: { type: "string", enum: ["service", "external", "namespace"] },
    namespace: { type: "string" },
    requestCount: { type: "integer" },
    errorCount: { type: "integer" },
  },
} as const;

export const mapEdgeSchema = {
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
    p90Ms: { type: "number" },
    p99Ms: { type: "number" },
    meanMs: { type: "number" },
    observedFrom: { type: "string", enum: ["client", "server"] },
  },
} as const;

export const mapSchema = {
  querystring: {
    type: "object",
    properties: {
      ...timeRangeQueryProperties,
      ...mapFilterQueryProperties,
      errorsOnly: { type: "boolean", description: "only edges with errors, and the nodes they join" },
    },
  },
  response: {
    200: {
      type: "object",
      required: ["from", "to", "nodes", "edges"],
      properties: {
        from: { type: "string" },
        to: { type: "string" },
        nodes: { type: "array", items: mapNodeSchema },
        edges: { type: "array", items: mapEdgeSchema },
      },
    },
    ...errorResponses,
  },
} as const;
