// Checks every API request's bearer token against the role its route needs.
// 401: no token, or one we do not know (the client should authenticate);
// 403: a valid token whose role is too low (authenticating again will not help).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ApiError } from "../http/api-error.js";
import { type Principal, type Role, roleAllows } from "./roles.js";
import { bearerToken } from "./token-hash.js";

export interface ApiAuthenticator {
  authenticate(token: string): Promise<Principal | undefined>;
}

/** When auth is off (loopback default, or explicitly disabled) everyone acts with every role. */
const UNAUTHENTICATED: Principal = { name: "anonymous", role: "admin" };

function neededRole(request: FastifyRequest): Role {
  const declared = request.routeOptions.config?.minimumRole;
  if (declared !== undefined) return declared;
  // Reads are for viewers; anything that changes state must say who may do it.
  return request.method === "GET" || request.method === "HEAD" ? "viewer" : "admin";
}

export function registerAuthHook(app: FastifyInstance, authenticator: ApiAuthenticator | undefined): void {
  app.decorateRequest("principal", undefined);
  app.addHook("onRequest", async (request, reply) => {
    if (request.routeOptions.config?.public === true) return;
    if (authenticator === undefined) {
      request.principal = UNAUTHENTICATED;
      return;
    }
    const token = bearerToken(request.headers.authorization);
    const principal = token === undefined ? undefined : await authenticator.authenticate(token);
    if (principal === undefined) {
      reply.header("www-authenticate", 'Bearer realm="periscope"');
      throw new ApiError(
        401,
        "unauthorized",
        token === undefined
          ? "an API token is required (Authorization: Bearer <token>)"
          : "unknown or revoked API token",
      );
    }
    const needed = neededRole(request);
    if (!roleAllows(principal.role, needed)) {
      throw new ApiError(403, "forbidden", `this needs the ${needed} role; the token has ${principal.role}`);
    }
    request.principal = principal;
  });
}
