// GET /metrics in Prometheus text format, and the hook that times every API request.
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type { CollectorMetrics } from "./collector-metrics.js";

const metricsSchema = {
  summary: "The collector's own metrics, Prometheus text format",
  tags: ["meta"],
  querystring: { type: "object", properties: {} },
  response: {
    200: {
      description: "Prometheus exposition format 0.0.4",
      content: { "text/plain": { schema: { type: "string" } } },
    },
  },
} as const;

/** Route templates (bounded) rather than URLs (ids, query strings) become the label. */
export function registerRequestTiming(app: FastifyInstance, metrics: CollectorMetrics): void {
  app.addHook("onResponse", async (request, reply) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}

export const metricsRoutes: FastifyPluginAsync<{ metrics: CollectorMetrics }> = async (app, { metrics }) => {
  app.get("/metrics", { schema: metricsSchema }, async (_request, reply) => {
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};
