import type { FastifyPluginAsync } from "fastify";
import { queryServiceMap } from "../../../../query/service-map-query.js";
import { parseTimeRange } from "../../../../query/time-range.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { type MapQuery, mapSchema } from "./schema.js";

export const mapRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get<{ Querystring: MapQuery }>("/", { schema: mapSchema }, async (request) => {
    const range = parseTimeRange(request.query);
    const map = await queryServiceMap(storage, range, request.query.protocol || undefined);
    return { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString(), ...map };
  });
};
