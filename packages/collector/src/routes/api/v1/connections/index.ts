import type { FastifyPluginAsync } from "fastify";
import { queryConnections } from "../../../../query/connections-query.js";
import { parseTimeRange } from "../../../../query/time-range.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { type ConnectionsQuery, connectionsSchema } from "./schema.js";

export const connectionsRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get<{ Querystring: ConnectionsQuery }>("/", { schema: connectionsSchema }, async (request) => {
    const { process, remote_ip: remoteIp, problems, limit } = request.query;
    const connections = await queryConnections(storage, {
      range: parseTimeRange(request.query),
      ...(process ? { process } : {}),
      ...(remoteIp ? { remoteIp } : {}),
      problems: problems === true,
      limit: limit ?? 100,
    });
    return { connections };
  });
};
