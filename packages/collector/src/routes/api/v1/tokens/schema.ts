import { ROLES } from "../../../../auth/roles.js";
import { errorResponseSchema, errorResponses } from "../../../../http/shared-schemas.js";

const tokenInfoProperties = {
  id: { type: "string" },
  name: { type: "string" },
  role: { type: "string", enum: [...ROLES] },
  createdAt: { type: "string" },
} as const;

const tokenInfoSchema = {
  type: "object",
  required: ["id", "name", "role", "createdAt"],
  properties: tokenInfoProperties,
} as const;

export const authErrorResponses = { 401: errorResponseSchema, 403: errorResponseSchema } as const;

export const listTokensSchema = {
  summary: "API tokens (never their secrets)",
  tags: ["auth"],
  querystring: { type: "object", properties: {} },
  response: {
    200: {
      type: "object",
      required: ["tokens"],
      properties: { tokens: { type: "array", items: tokenInfoSchema } },
    },
    ...authErrorResponses,
    ...errorResponses,
  },
} as const;

export const selfSchema = {
  summary: "Who the request's token belongs to, and its role (what a UI may offer)",
  tags: ["auth"],
  response: {
    200: {
      type: "object",
      required: ["name", "role", "authenticated"],
      properties: {
        name: { type: "string" },
        role: { type: "string", enum: [...ROLES] },
        authenticated: { type: "boolean", description: "false when the API runs without auth" },
      },
    },
    ...authErrorResponses,
    ...errorResponses,
  },
} as const;

export interface CreateTokenBody {
  name: string;
  role: (typeof ROLES)[number];
}

export const createTokenSchema = {
  summary: "Create an API token; the secret is in this response only",
  tags: ["auth"],
  body: {
    type: "object",
    required: ["name", "role"],
    additionalProperties: false,
    properties: {
      name: { type: "string", minLength: 1, maxLength: 100, pattern: "^[\\w .@-]+$" },
      role: { type: "string", enum: [...ROLES] },
    },
  },
  response: {
    201: {
      type: "object",
      required: ["id", "name", "role", "createdAt", "token"],
      properties: { ...tokenInfoProperties, token: { type: "string", description: "shown once" } },
    },
    ...authErrorResponses,
    ...errorResponses,
  },
} as const;

export interface TokenParams {
  id: string;
}

export const revokeTokenSchema = {
  summary: "Revoke an API token",
  tags: ["auth"],
  params: {
    type: "object",
    required: ["id"],
    properties: { id: { type: "string", pattern: "^[0-9a-f]{16}$" } },
  },
  response: { 204: { type: "null" }, 404: errorResponseSchema, ...authErrorResponses, ...errorResponses },
} as const;
