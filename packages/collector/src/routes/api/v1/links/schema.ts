import { errorResponseSchema, errorResponses } from "../../../../http/shared-schemas.js";
import type { RequestsQuery } from "../requests/schema.js";
import { requestFilterProperties, requestViewSchema } from "../requests/schema.js";

export interface CreateLinkBody {
  title?: string;
  from: string | number;
  to: string | number;
  view: Record<string, unknown>;
  freeze?: Partial<Omit<RequestsQuery, "from" | "to" | "cursor">>;
}

export interface LinkParams {
  id: string;
}

const instant = {
  // A JSON number is accepted too: AJV coerces it to the string parsed below.
  type: "string",
  description: "absolute: epoch milliseconds or ISO-8601 (a link must not drift with the clock)",
} as const;

const linkSchema = {
  type: "object",
  required: ["id", "title", "createdAt", "createdBy", "from", "to", "view", "frozen", "frozenRequests"],
  properties: {
    id: { type: "string" },
    title: { type: "string" },
    createdAt: { type: "string" },
    createdBy: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    view: { type: "object", additionalProperties: true },
    frozen: { type: "boolean" },
    frozenRequests: { type: ["array", "null"], items: requestViewSchema },
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
      from: instant,
      to: instant,
      view: { type: "object", description: "the UI's view state, stored as given (JSON, at most 64 KiB)" },
      freeze: {
        type: "object",
        additionalProperties: false,
        description: "copy the requests this search finds in [from, to) into the link",
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
