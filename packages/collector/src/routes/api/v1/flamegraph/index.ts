import type { FastifyPluginAsync } from "fastify";
import { badRequest } from "../../../../http/api-error.js";
import { queryFlameGraph, type SplitDimension } from "../../../../query/flamegraph-query.js";
import { parseTimeRange } from "../../../../query/time-range.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { type FlameGraphQuery, flameGraphSchema } from "./schema.js";

const given = (value: string | undefined) => (value === undefined || value === "" ? undefined : value);

export const flameGraphRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get<{ Querystring: FlameGraphQuery }>("/", { schema: flameGraphSchema }, async (request) => {
    const query = request.query;
    const range = parseTimeRange(query);
    const scope = {
      service: given(query.service),
      pid: query.pid,
      process: given(query.process),
      namespace: given(query.namespace),
      pod: given(query.pod),
      container: given(query.container),
      node: given(query.node),
    };
    // A fleet-wide flame graph would read every sample in the range; a scope is required.
    if (Object.values(scope).every((value) => value === undefined)) {
      throw badRequest("a scope is required: service, process, pid, namespace, pod, container or node");
    }
    if ((query.baselineFrom === undefined) !== (query.baselineTo === undefined)) {
      throw badRequest("a diff needs both baselineFrom and baselineTo");
    }
    const baseline =
      query.baselineFrom === undefined
        ? undefined
        : parseTimeRange({ from: query.baselineFrom, to: query.baselineTo });
    const splitBy = (given(query.splitBy)?.split(",") ?? []) as SplitDimension[];
    if (new Set(splitBy).size !== splitBy.length) throw badRequest("splitBy names a dimension twice");
    const graph = await queryFlameGraph(storage, scope, range, {
      maxNodes: query.maxNodes,
      splitBy,
      baseline,
    });
    return {
      from: new Date(range.fromMs).toISOString(),
      to: new Date(range.toMs).toISOString(),
      ...graph,
      ...(graph.baseline === undefined || baseline === undefined
        ? {}
        : {
            baseline: {
              from: new Date(baseline.fromMs).toISOString(),
              to: new Date(baseline.toMs).toISOString(),
              ...graph.baseline,
            },
          }),
    };
  });
};
