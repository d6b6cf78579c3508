import type { FastifyPluginAsync } from "fastify";
import { parseNameList } from "../../../../query/name-list.js";
import { queryServiceMap, type ServiceMapFilter } from "../../../../query/service-map-query.js";
import { parseTimeRange, type TimeRange } from "../../../../query/time-range.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { type MapQuery, mapSchema } from "./schema.js";

/** The map's filters from a query string; empty values mean "no filter". */
export function mapFilterOf(
  query: Omit<MapQuery, "from" | "to" | "errorsOnly">,
  range: TimeRange,
): ServiceMapFilter {
  return {
    range,
    protocol: query.protocol || undefined,
    hidden: parseNameList("hide", query.hide),
    namespace: query.namespace || undefined,
    workload: query.workload || undefined,
    groupBy: query.groupBy === "namespace" ? "namespace" : "service",
  };
}

export const mapRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get<{ Querystring: MapQuery }>("/", { schema: mapSchema }, async (request) => {
    const range = parseTimeRange(request.query);
    const map = await queryServiceMap(storage, {
      ...mapFilterOf(request.query, range),
      errorsOnly: request.query.errorsOnly === true,
    });
    return { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString(), ...map };
  });
};
