// Ingest counters and each agent's self-reported drops: where data was lost.
import type { FastifyPluginAsync } from "fastify";
import type { RouteDependencies } from "../../../route-dependencies.js";

const countersSchema = {
  type: "object",
  properties: {
    batchesStored: { type: "integer" },
    recordsStored: { type: "integer" },
    batchesDuplicate: { type: "integer" },
    batchesRejectedInvalid: { type: "integer" },
    batchesRefusedBusy: { type: "integer" },
    batchesFailedStorage: { type: "integer" },
  },
} as const;

const agentSchema = {
  type: "object",
  properties: {
    agentId: { type: "string" },
    hostname: { type: "string" },
    version: { type: "string" },
    kernel: { type: "string" },
    lastSeen: { type: "string" },
    drops: { type: "object", additionalProperties: { type: "string" } },
  },
} as const;

const statsSchema = {
  summary: "Ingest counters and each agent's self-reported drop counters",
  tags: ["agents"],
  querystring: { type: "object", properties: {} },
  response: {
    200: {
      type: "object",
      required: ["ingest", "agents"],
      properties: { ingest: countersSchema, agents: { type: "array", items: agentSchema } },
    },
  },
} as const;

export const statsRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { ingestStats }) => {
  app.get("/", { schema: statsSchema }, async () => ({
    ingest: ingestStats.counters,
    agents: ingestStats.agentStatuses(),
  }));
};
