import { errorResponseSchema, errorResponses } from "../../../../http/shared-schemas.js";
import type { RequestsQuery } from "../requests/schema.js";
import { requestFilterProperties, requestViewSchema } from "../requests/schema.js";

export interface CreateLinkBody {
  title?: string;
  notes?: string;
  from: string | number;
  to: string | number;
  view: Record<string, unknown>;
  freeze?: Partial<Omit<RequestsQuery, "from" | "to" | "cursor">>;
}

export interface LinkParams {
  id: string;
}

export interface ListLinksQuery {
  limit: number;
}

const instant = {
  // A JSON number is accepted too: AJV coerces it to the string parsed below.
  type: "string",
  description: "absolute: epoch milliseconds or ISO-8601 (a link must not drift with the clock)",
} as const;

const summaryProperties = {
  id: { type: "string" },
  title: { type: "string" },
  notes: { type: "string" },
  createdAt: { type: "string" },
  createdBy: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  frozen: { type: "boolean", description: "the link holds its own copy of the requests and the map" },
} as const;

const linkSummarySchema = {
  type: "object",
  required: Object.keys(summaryProperties),
  properties: summaryProperties,
} as const;

const linkSchema = {
  type: "object",
  required: [...Object.keys(summaryProperties), "view", "frozenRequests", "frozenMap"],
  properties: {
    ...summaryProperties,
    view: { type: "object", additionalProperties: true },
    frozenRequests: { type: ["array", "null"], items: requestViewSchema },
    frozenMap: {
      type: ["object", "null"],
      description:
        "the service map of the link's range when it was shared (GET /api/v1/map's nodes and edges)",
      additionalProperties: true,
    },
  },
} as const;

export const createLinkSchema = {
  summary: "Share a view: absolute times, the UI's view state, optionally a frozen copy of its requests",
  tags: ["links"],
  body: {
    type: "object",
    required: ["from", "to", "view"],
    additionalProperties: false,
    properties: {
      title: { type: "string", maxLength: 200 },
      notes: { type: "string", maxLength: 10_000, description: "what the sharer wants the reader to know" },
      from: instant,
      to: instant,
      view: { type: "object", description: "the UI's view state, stored as given (JSON, at most 64 KiB)" },
      freeze: {
        type: "object",
        additionalProperties: false,
        description:
          "copy the requests this search finds in [from, to), and the map of that range (narrowed by its protocol, namespace and workload), into the link",
        properties: requestFilterProperties,
      },
    },
  },
  response: { 201: linkSchema, 413: errorResponseSchema, ...errorResponses },
} as const;

export const readLinkSchema = {
  summary: "A shared view",
  tags: ["links"],
  params: {
    type: "object",
    required: ["id"],
    properties: { id: { type: "string", pattern: "^[A-Za-z0-9_-]{22}$" } },
  },
  response: { 200: linkSchema, 404: errorResponseSchema, ...errorResponses },
} as const;

export const listLinksSchema = {
  summary: "Shared links, newest first (without their view state or frozen copies)",
  tags: ["links"],
  querystring: {
    type: "object",
    additionalProperties: false,
    properties: { limit: { type: "integer", minimum: 1, maximum: 500, default: 100 } },
  },
  response: {
    200: {
      type: "object",
      required: ["links"],
      properties: { links: { type: "array", items: linkSummarySchema } },
    },
    ...errorResponses,
  },
} as const;
