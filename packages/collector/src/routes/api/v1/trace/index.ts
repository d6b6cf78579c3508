import type { FastifyPluginAsync } from "fastify";
import { notFound } from "../../../../http/api-error.js";
import { parseTimeRange } from "../../../../query/time-range.js";
import { queryTrace, traceTimeRange } from "../../../../query/trace-query.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { type TraceParams, type TraceQuery, traceSchema } from "./schema.js";

// A trace id usually comes from a log line or another tool, so the window is
// wider than the request list's 15 minutes by default.
const DEFAULT_TRACE_WINDOW_MS = 24 * 60 * 60 * 1000;

export const traceRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get<{ Params: TraceParams; Querystring: TraceQuery }>(
    "/:traceId",
    { schema: traceSchema },
    async (request) => {
      const { from, to } = request.query;
      const traceId = request.params.traceId.toLowerCase();
      const nowMs = Date.now();
      const given = (from ?? "") !== "" || (to ?? "") !== "";
      // No range given: the trace index says where the trace is, else the last 24 h.
      const indexed = given ? undefined : await traceTimeRange(storage, traceId);
      const range =
        indexed ??
        (from === undefined || from === ""
          ? parseTimeRange(
              { to, from: String(parseTimeRange({ to }, nowMs).toMs - DEFAULT_TRACE_WINDOW_MS) },
              nowMs,
            )
          : parseTimeRange({ from, to }, nowMs));
      const trace = await queryTrace(storage, traceId, range);
      if (trace.requestCount === 0) throw notFound(`no requests of trace ${traceId} between the given times`);
      return { ...trace, from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() };
    },
  );
};
