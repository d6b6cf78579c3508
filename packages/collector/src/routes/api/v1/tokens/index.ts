// Token management, for admins only.
import type { FastifyPluginAsync } from "fastify";
import { TokenLimitError } from "../../../../auth/api-token-store.js";
import { ApiError, notFound } from "../../../../http/api-error.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import {
  type CreateTokenBody,
  createTokenSchema,
  listTokensSchema,
  revokeTokenSchema,
  selfSchema,
  type TokenParams,
} from "./schema.js";

const adminOnly = { minimumRole: "admin" } as const;

export const tokensRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { tokens }) => {
  const store = () => {
    if (tokens === undefined) throw new ApiError(404, "not_found", "token management is not enabled");
    return tokens;
  };

  app.get("/", { schema: listTokensSchema, config: adminOnly }, async () => ({
    tokens: await store().list(),
  }));

  // Any valid token may ask who it is: the UI signs a user in with it.
  app.get("/self", { schema: selfSchema, config: { minimumRole: "viewer" } }, async (request) => ({
    name: request.principal?.name ?? "anonymous",
    role: request.principal?.role ?? "admin",
    authenticated: tokens !== undefined,
  }));

  app.post<{ Body: CreateTokenBody }>(
    "/",
    { schema: createTokenSchema, config: adminOnly },
    async (request, reply) => {
      try {
        return reply.status(201).send(await store().create(request.body.name, request.body.role));
      } catch (error) {
        if (error instanceof TokenLimitError)
          throw new ApiError(400, "bad_request", "too many API tokens; revoke some");
        throw error;
      }
    },
  );

  app.delete<{ Params: TokenParams }>(
    "/:id",
    { schema: revokeTokenSchema, config: adminOnly },
    async (request, reply) => {
      if (!(await store().revoke(request.params.id))) throw notFound(`no active token ${request.params.id}`);
      return reply.status(204).send();
    },
  );
};
