import type { FastifyPluginAsync } from "fastify";
import { badRequest } from "../../../../http/api-error.js";
import { queryRed, type RedScope } from "../../../../query/red-query.js";
import { parseTimeRange } from "../../../../query/time-range.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { type RedQuery, redSchema } from "./schema.js";

const given = (value: string | undefined) => (value === undefined || value === "" ? undefined : value);

/** Which series is asked for, from which parameters are present. */
export function redScopeOf(query: RedQuery): RedScope {
  const service = given(query.service);
  const client = given(query.client);
  const server = given(query.server);
  const operation = query.operation;
  const target = query.target;
  if (client !== undefined || server !== undefined) {
    if (client === undefined || server === undefined)
      throw badRequest("an edge needs both client and server");
    if (service !== undefined) throw badRequest("give either service or client and server, not both");
    return { kind: "edge", client, server };
  }
  if (service === undefined) throw badRequest("service is required (or client and server for an edge)");
  if (operation !== undefined || target !== undefined) {
    if (operation === undefined || target === undefined) {
      throw badRequest("an endpoint needs service, operation and target");
    }
    return { kind: "endpoint", service, operation, target };
  }
  return { kind: "service", service };
}

export const redRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get<{ Querystring: RedQuery }>("/", { schema: redSchema }, async (request) => {
    const range = parseTimeRange(request.query);
    const scope = redScopeOf(request.query);
    const series = await queryRed(storage, scope, range, {
      protocol: given(request.query.protocol),
      stepSeconds: request.query.step,
    });
    return {
      from: new Date(range.fromMs).toISOString(),
      to: new Date(range.toMs).toISOString(),
      scope,
      ...series,
    };
  });
};
