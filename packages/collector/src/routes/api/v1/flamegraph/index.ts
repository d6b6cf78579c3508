import type { FastifyPluginAsync } from "fastify";
import { badRequest } from "../../../../http/api-error.js";
import { queryFlameGraph } from "../../../../query/flamegraph-query.js";
import { parseTimeRange } from "../../../../query/time-range.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { type FlameGraphQuery, flameGraphSchema } from "./schema.js";

export const flameGraphRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get<{ Querystring: FlameGraphQuery }>("/", { schema: flameGraphSchema }, async (request) => {
    const range = parseTimeRange(request.query);
    const service = request.query.service || undefined;
    const pid = request.query.pid;
    // A fleet-wide flame graph would read every sample in the range; a scope is required.
    if (service === undefined && pid === undefined) throw badRequest("service or pid is required");
    const graph = await queryFlameGraph(storage, { service, pid }, range, request.query.maxNodes);
    return { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString(), ...graph };
  });
};
