// The collector's HTTP API as a fastify plugin; server.ts and startCollector
// decide how it runs (logger, address, lifecycle).
import fastifySwagger from "@fastify/swagger";
import type { FastifyPluginAsync } from "fastify";
import { registerAuthHook } from "./auth/auth-hook.js";
import { registerErrorHandling } from "./http/error-handler.js";
import { registerFiniteNumberCheck } from "./http/finite-numbers.js";
import { registerQueryCancellation } from "./http/query-cancellation.js";
import { metricsRoutes, registerRequestTiming } from "./metrics/metrics-route.js";
import { agentsRoutes } from "./routes/api/v1/agents/index.js";
import { connectionsRoutes } from "./routes/api/v1/connections/index.js";
import { endpointsRoutes } from "./routes/api/v1/endpoints/index.js";
import { flameGraphRoutes } from "./routes/api/v1/flamegraph/index.js";
import { healthRoutes } from "./routes/api/v1/health/index.js";
import { heatmapRoutes } from "./routes/api/v1/heatmap/index.js";
import { linksRoutes } from "./routes/api/v1/links/index.js";
import { liveRoutes } from "./routes/api/v1/live/index.js";
import { mapRoutes } from "./routes/api/v1/map/index.js";
import { mapDiffRoutes } from "./routes/api/v1/map-diff/index.js";
import { namesRoutes } from "./routes/api/v1/names/index.js";
import { openApiRoutes } from "./routes/api/v1/openapi/index.js";
import { redRoutes } from "./routes/api/v1/red/index.js";
import { requestsRoutes } from "./routes/api/v1/requests/index.js";
import { servicesRoutes } from "./routes/api/v1/services/index.js";
import { statsRoutes } from "./routes/api/v1/stats/index.js";
import { tokensRoutes } from "./routes/api/v1/tokens/index.js";
import { traceRoutes } from "./routes/api/v1/trace/index.js";
import type { RouteDependencies } from "./routes/route-dependencies.js";

export type { RouteDependencies as AppDependencies } from "./routes/route-dependencies.js";

const collectorAppPlugin: FastifyPluginAsync<RouteDependencies> = async (app, dependencies) => {
  registerErrorHandling(app);
  registerFiniteNumberCheck(app);
  registerAuthHook(app, dependencies.tokens);
  registerQueryCancellation(app);
  if (dependencies.metrics) registerRequestTiming(app, dependencies.metrics);
  // Registered before any route: it collects each route's schema as it is added.
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: "Periscope collector API", version: "1" },
      components: {
        securitySchemes: { apiToken: { type: "http", scheme: "bearer", description: "API token (psk_…)" } },
      },
      // Enforced only when the collector runs with tokens (PERISCOPE_ADMIN_TOKEN).
      security: [{ apiToken: [] }],
    },
    // Routes are declared as "/" under a prefix; clients call them without the
    // trailing slash, so the document names them that way.
    transform: ({ schema, url }) => ({ schema, url: url.length > 1 ? url.replace(/\/$/, "") : url }),
  });
  await app.register(healthRoutes, { ...dependencies, prefix: "/api/v1/health" });
  await app.register(servicesRoutes, { ...dependencies, prefix: "/api/v1/services" });
  await app.register(namesRoutes, { ...dependencies, prefix: "/api/v1/names" });
  await app.register(mapRoutes, { ...dependencies, prefix: "/api/v1/map" });
  await app.register(mapDiffRoutes, { ...dependencies, prefix: "/api/v1/map-diff" });
  await app.register(redRoutes, { ...dependencies, prefix: "/api/v1/red" });
  await app.register(heatmapRoutes, { ...dependencies, prefix: "/api/v1/heatmap" });
  await app.register(endpointsRoutes, { ...dependencies, prefix: "/api/v1/endpoints" });
  await app.register(flameGraphRoutes, { ...dependencies, prefix: "/api/v1/flamegraph" });
  await app.register(requestsRoutes, { ...dependencies, prefix: "/api/v1/requests" });
  await app.register(connectionsRoutes, { ...dependencies, prefix: "/api/v1/connections" });
  await app.register(traceRoutes, { ...dependencies, prefix: "/api/v1/trace" });
  await app.register(linksRoutes, { ...dependencies, prefix: "/api/v1/links" });
  await app.register(agentsRoutes, { ...dependencies, prefix: "/api/v1/agents" });
  await app.register(tokensRoutes, { ...dependencies, prefix: "/api/v1/tokens" });
  await app.register(liveRoutes, { ...dependencies, prefix: "/api/v1/live" });
  await app.register(statsRoutes, { ...dependencies, prefix: "/api/v1/stats" });
  if (dependencies.metrics) await app.register(metricsRoutes, { metrics: dependencies.metrics });
  await app.register(openApiRoutes, { ...dependencies, prefix: "/api/v1/openapi.json" });
};

// Skipping encapsulation (what fastify-plugin does) lets the error and
// not-found handlers apply to the instance the plugin is registered on.
Object.assign(collectorAppPlugin, { [Symbol.for("skip-override")]: true });

export const collectorApp = collectorAppPlugin;
