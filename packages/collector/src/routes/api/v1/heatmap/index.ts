import type { FastifyPluginAsync } from "fastify";
import { queryLatencyHeatmap } from "../../../../query/latency-heatmap-query.js";
import { parseTimeRange } from "../../../../query/time-range.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { redScopeOf } from "../red/index.js";
import { type HeatmapQuery, heatmapSchema } from "./schema.js";

const scopeGiven = (query: HeatmapQuery) =>
  [query.service, query.client, query.server, query.operation, query.target].some(
    (v) => v !== undefined && v !== "",
  );

export const heatmapRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get<{ Querystring: HeatmapQuery }>("/", { schema: heatmapSchema }, async (request) => {
    const range = parseTimeRange(request.query);
    // The RED endpoint's scopes, or none: every call in the cluster.
    const scope = scopeGiven(request.query) ? redScopeOf(request.query) : undefined;
    const heatmap = await queryLatencyHeatmap(storage, scope, range, { stepSeconds: request.query.step });
    return {
      from: new Date(range.fromMs).toISOString(),
      to: new Date(range.toMs).toISOString(),
      ...heatmap,
    };
  });
};
