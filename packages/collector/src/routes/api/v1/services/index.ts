import type { FastifyPluginAsync } from "fastify";
import { queryServices } from "../../../../query/services-query.js";
import { parseTimeRange } from "../../../../query/time-range.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { type ServicesQuery, servicesSchema } from "./schema.js";

export const servicesRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get<{ Querystring: ServicesQuery }>("/", { schema: servicesSchema }, async (request) => {
    const range = parseTimeRange(request.query);
    return { services: await queryServices(storage, range, request.query.namespace || undefined) };
  });
};
