import type { FastifyPluginAsync } from "fastify";
import { FLEET_SCOPE } from "../../../../control/agent-config-store.js";
import type { CollectionConfigBody } from "../../../../control/collection-config.js";
import { ApiError, notFound } from "../../../../http/api-error.js";
import { queryAgents } from "../../../../query/agents-query.js";
import type { AgentControlPort, RouteDependencies } from "../../../route-dependencies.js";
import {
  type AgentIdParams,
  putAgentConfigSchema,
  putFleetConfigSchema,
  readAgentConfigSchema,
  readFleetConfigSchema,
} from "./config-schema.js";
import { listAgentsSchema } from "./schema.js";

const NO_CONTROL = { desiredVersion: 0, appliedVersion: 0, connected: false, lastError: "", unsupported: [] };
const editorOnly = { minimumRole: "editor" } as const;

export const agentsRoutes: FastifyPluginAsync<RouteDependencies> = async (app, dependencies) => {
  const { storage, ingestStats, agentControl } = dependencies;
  const control = (): AgentControlPort => {
    if (agentControl === undefined) throw new ApiError(404, "not_found", "agent control is not enabled");
    return agentControl;
  };

  app.get("/", { schema: listAgentsSchema }, async () => ({
    agents: await queryAgents(
      storage,
      ingestStats,
      (id) => agentControl?.configState(id) ?? NO_CONTROL,
      agentControl?.connectedAgents() ?? [],
    ),
  }));

  app.get("/config", { schema: readFleetConfigSchema }, async () => {
    const stored = control().configFor(FLEET_SCOPE);
    if (stored === undefined) throw notFound("no fleet config has been set; agents run their own defaults");
    return stored;
  });

  app.put<{ Body: CollectionConfigBody }>(
    "/config",
    { schema: putFleetConfigSchema, config: editorOnly },
    async (request) => control().setConfig(FLEET_SCOPE, request.body, request.principal?.name ?? "anonymous"),
  );

  app.get<{ Params: AgentIdParams }>(
    "/:agentId/config",
    { schema: readAgentConfigSchema },
    async (request) => {
      const stored = control().configFor(request.params.agentId);
      if (stored === undefined) throw notFound("no config has been set for this agent or the fleet");
      return stored;
    },
  );

  app.put<{ Params: AgentIdParams; Body: CollectionConfigBody }>(
    "/:agentId/config",
    { schema: putAgentConfigSchema, config: editorOnly },
    async (request) =>
      control().setConfig(request.params.agentId, request.body, request.principal?.name ?? "anonymous"),
  );
};
