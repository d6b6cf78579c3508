// Ingest counters, queue depth, what storing costs the engine, and each agent's
// self-reported drops: where data was lost or held, and what ingest costs.
import type { FastifyPluginAsync } from "fastify";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { statsSchema } from "./schema.js";

export const statsRoutes: FastifyPluginAsync<RouteDependencies> = async (
  app,
  { ingestStats, ingestQueue, storageActivity, storageGuards, otlp },
) => {
  app.get("/", { schema: statsSchema }, async () => ({
    ingest: ingestStats.counters,
    seriesRejectedBy: ingestStats.seriesRejectedBy,
    profiles: ingestStats.profiles,
    ...(ingestQueue === undefined ? {} : { queue: ingestQueue.queueState }),
    ...(storageActivity === undefined
      ? {}
      : {
          storage: {
            insertsByTable: Object.fromEntries(ingestStats.insertsByTable),
            engine: await storageActivity.engineEvents(),
            lastMinute: (await storageActivity.lastMinute()) ?? null,
          },
        }),
    ...(storageGuards === undefined
      ? {}
      : {
          guards: {
            diskGuard: { enabled: storageGuards.diskGuard.enabled, ...storageGuards.diskGuard.state },
            queries: storageGuards.queryOutcomes.snapshot(),
          },
        }),
    ...(otlp === undefined ? {} : { otlp: otlp.counters }),
    agents: ingestStats.agentStatuses(),
  }));
};
