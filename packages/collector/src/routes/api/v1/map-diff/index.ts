import type { FastifyPluginAsync } from "fastify";
import { queryMapDiff } from "../../../../query/map-diff-query.js";
import { parseTimeRange, type TimeRange } from "../../../../query/time-range.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { mapFilterOf } from "../map/index.js";
import { type MapDiffQuery, mapDiffSchema } from "./schema.js";

function baselineOf(query: MapDiffQuery, current: TimeRange): TimeRange {
  if (!query.baselineFrom && !query.baselineTo) {
    const length = current.toMs - current.fromMs;
    return { fromMs: current.fromMs - length, toMs: current.fromMs };
  }
  // Same parsing and bounds as every range; names in errors say which one.
  try {
    return parseTimeRange({ from: query.baselineFrom, to: query.baselineTo ?? String(current.fromMs) });
  } catch (error) {
    if (error instanceof Error) error.message = `baseline: ${error.message}`;
    throw error;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

export const mapDiffRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get<{ Querystring: MapDiffQuery }>("/", { schema: mapDiffSchema }, async (request) => {
    const current = parseTimeRange(request.query);
    const baseline = baselineOf(request.query, current);
    const { range: _range, ...filter } = mapFilterOf(request.query, current);
    const diff = await queryMapDiff(storage, baseline, current, filter);
    return {
      from: iso(current.fromMs),
      to: iso(current.toMs),
      baselineFrom: iso(baseline.fromMs),
      baselineTo: iso(baseline.toMs),
      ...diff,
    };
  });
};
