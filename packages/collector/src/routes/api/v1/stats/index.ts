// Ingest counters, queue depth and each agent's self-reported drops: where data was lost or held.
import type { FastifyPluginAsync } from "fastify";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { statsSchema } from "./schema.js";

export const statsRoutes: FastifyPluginAsync<RouteDependencies> = async (
  app,
  { ingestStats, ingestQueue },
) => {
  app.get("/", { schema: statsSchema }, async () => ({
    ingest: ingestStats.counters,
    seriesRejectedBy: ingestStats.seriesRejectedBy,
    ...(ingestQueue === undefined ? {} : { queue: ingestQueue.queueState }),
    agents: ingestStats.agentStatuses(),
  }));
};
