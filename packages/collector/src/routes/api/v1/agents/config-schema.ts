import { collectionConfigSchema } from "../../../../control/collection-config.js";
import { errorResponseSchema, errorResponses } from "../../../../http/shared-schemas.js";

const storedConfigProperties = {
  scope: { type: "string", description: '"*" for the fleet default, else the agent id it overrides' },
  version: { type: "integer" },
  config: collectionConfigSchema,
  updatedAt: { type: "string" },
  updatedBy: { type: "string" },
} as const;

const storedConfigSchema = {
  type: "object",
  required: Object.keys(storedConfigProperties),
  properties: storedConfigProperties,
} as const;

const agentIdParams = {
  type: "object",
  required: ["agentId"],
  // "*" names the fleet default, which has its own route.
  properties: { agentId: { type: "string", minLength: 1, maxLength: 256, pattern: "^(?!\\*$)" } },
} as const;

export interface AgentIdParams {
  agentId: string;
}

export const readFleetConfigSchema = {
  summary: "The collection config every agent runs unless it has its own",
  tags: ["agents"],
  response: { 200: storedConfigSchema, 404: errorResponseSchema, ...errorResponses },
} as const;

export const readAgentConfigSchema = {
  summary: "The collection config one agent should run (its own, else the fleet default)",
  tags: ["agents"],
  params: agentIdParams,
  response: { 200: storedConfigSchema, 404: errorResponseSchema, ...errorResponses },
} as const;

const putResponse = {
  200: {
    type: "object",
    required: [...Object.keys(storedConfigProperties), "pushedTo"],
    properties: {
      ...storedConfigProperties,
      pushedTo: { type: "integer", description: "connected agents it was sent to now" },
    },
  },
  ...errorResponses,
} as const;

export const putFleetConfigSchema = {
  summary: "Set the fleet's collection config; pushed to connected agents at once",
  tags: ["agents"],
  body: collectionConfigSchema,
  response: putResponse,
} as const;

export const putAgentConfigSchema = {
  summary: "Set one agent's collection config (overrides the fleet default); pushed at once",
  tags: ["agents"],
  params: agentIdParams,
  body: collectionConfigSchema,
  response: putResponse,
} as const;
