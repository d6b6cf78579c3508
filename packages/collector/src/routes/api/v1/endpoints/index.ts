import type { FastifyPluginAsync } from "fastify";
import { queryEndpoints } from "../../../../query/endpoints-query.js";
import { parseTimeRange } from "../../../../query/time-range.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { type EndpointsQuery, endpointsSchema } from "./schema.js";

export const endpointsRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get<{ Querystring: EndpointsQuery }>("/", { schema: endpointsSchema }, async (request) => {
    const range = parseTimeRange(request.query);
    const endpoints = await queryEndpoints(storage, {
      range,
      service: request.query.service || undefined,
      protocol: request.query.protocol || undefined,
      sort: request.query.sort,
      limit: request.query.limit,
    });
    return { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString(), endpoints };
  });
};
