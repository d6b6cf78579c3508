import type { FastifyPluginAsync } from "fastify";
import { queryRequests } from "../../../../query/requests-query.js";
import { parseTimeRange } from "../../../../query/time-range.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { type RequestsQuery, requestsSchema } from "./schema.js";

export const requestsRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get<{ Querystring: RequestsQuery }>("/", { schema: requestsSchema }, async (request) => {
    const { protocol, service, observations, limit } = request.query;
    const requests = await queryRequests(storage, {
      range: parseTimeRange(request.query),
      // Empty values mean "no filter", as a blank form field sends them.
      protocol: protocol || undefined,
      service: service || undefined,
      observations,
      limit,
    });
    return { requests };
  });
};
