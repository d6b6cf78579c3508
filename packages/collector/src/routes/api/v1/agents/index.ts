import type { FastifyPluginAsync } from "fastify";
import { queryAgents } from "../../../../query/agents-query.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { listAgentsSchema } from "./schema.js";

const NO_CONTROL = { desiredVersion: 0, appliedVersion: 0, connected: false };

export const agentsRoutes: FastifyPluginAsync<RouteDependencies> = async (app, dependencies) => {
  const { storage, ingestStats, agentControl } = dependencies;
  app.get("/", { schema: listAgentsSchema }, async () => ({
    agents: await queryAgents(storage, ingestStats, (id) => agentControl?.configState(id) ?? NO_CONTROL),
  }));
};
