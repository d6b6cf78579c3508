import type { FastifyPluginAsync } from "fastify";
import { notFound } from "../../../../http/api-error.js";
import { queryRequestDetail } from "../../../../query/request-detail-query.js";
import { parseRequestId } from "../../../../query/request-id.js";
import { queryRequests } from "../../../../query/requests-query.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { toRequestsFilter } from "./filter-params.js";
import {
  type RequestDetailParams,
  type RequestsQuery,
  requestDetailRouteSchema,
  requestsSchema,
} from "./schema.js";

export const requestsRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get<{ Querystring: RequestsQuery }>("/", { schema: requestsSchema }, async (request) =>
    queryRequests(storage, toRequestsFilter(request.query)),
  );

  app.get<{ Params: RequestDetailParams }>("/:id", { schema: requestDetailRouteSchema }, async (request) => {
    const detail = await queryRequestDetail(storage, parseRequestId(request.params.id));
    if (detail === undefined) throw notFound(`no request ${request.params.id} (expired, or never stored)`);
    return detail;
  });
};
