// Picker names: what the UI's service, operation, namespace and protocol
// pickers offer, read from the picker-names table rather than requests.
import type { FastifyPluginAsync } from "fastify";
import { queryPickerNames } from "../../../../query/picker-names-query.js";
import { parseTimeRange } from "../../../../query/time-range.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { type NamesQuery, namesSchema } from "./schema.js";

const blankToUndefined = (value: string | undefined) =>
  value === undefined || value === "" ? undefined : value;

export const namesRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get<{ Querystring: NamesQuery }>("/", { schema: namesSchema }, async (request) => {
    const { kind, limit } = request.query;
    const names = await queryPickerNames(storage, {
      kind,
      limit,
      range: parseTimeRange(request.query),
      prefix: blankToUndefined(request.query.prefix),
      service: blankToUndefined(request.query.service),
    });
    return { kind, names };
  });
};
