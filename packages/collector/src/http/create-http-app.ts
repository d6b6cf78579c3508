// The fastify instance, over HTTPS when TLS material is configured.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { TlsMaterial } from "../auth/startup-policy.js";

export function createHttpApp(
  logger: FastifyServerOptions["logger"],
  tls: TlsMaterial | undefined,
): FastifyInstance {
  if (tls === undefined) return Fastify({ logger });
  // The routes never touch the raw server, so the https-typed instance is used
  // through the default (http) type; fastify's API is the same for both.
  return Fastify({ logger, https: { cert: tls.cert, key: tls.key } }) as unknown as FastifyInstance;
}
