import type { FastifyPluginAsync } from "fastify";
import { errorBody } from "../../../../http/api-error.js";
import { errorResponseSchema } from "../../../../http/shared-schemas.js";
import type { RouteDependencies } from "../../../route-dependencies.js";

const healthSchema = {
  summary: "Whether the collector and its storage are up",
  tags: ["meta"],
  querystring: { type: "object", properties: {} },
  response: {
    200: { type: "object", required: ["status"], properties: { status: { type: "string", enum: ["ok"] } } },
    503: errorResponseSchema,
  },
} as const;

export const healthRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.get("/", { schema: healthSchema, config: { public: true } }, async (request, reply) => {
    const reachable = await storage.isReachable().catch((error: unknown) => {
      request.log.warn({ err: error }, "storage ping failed");
      return false;
    });
    if (!reachable) return reply.status(503).send(errorBody("internal", "storage is unavailable"));
    return { status: "ok" };
  });
};
