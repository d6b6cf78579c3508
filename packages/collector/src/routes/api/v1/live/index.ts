// GET /api/v1/live: Server-Sent Events with new requests and map changes.
import type { FastifyPluginAsync } from "fastify";
import { ApiError } from "../../../../http/api-error.js";
import { errorResponseSchema, errorResponses } from "../../../../http/shared-schemas.js";
import { LIVE_TOPICS, type LiveTopic } from "../../../../live/live-events.js";
import type { RouteDependencies } from "../../../route-dependencies.js";

interface LiveQuery {
  topics: string;
}

const topicList = `(${LIVE_TOPICS.join("|")})`;

const liveSchema = {
  summary:
    "Live feed (text/event-stream): `requests` events with new requests, `map` events with edges that changed",
  tags: ["live"],
  querystring: {
    type: "object",
    properties: {
      topics: {
        type: "string",
        pattern: `^${topicList}(,${topicList})*$`,
        default: LIVE_TOPICS.join(","),
        description: `comma-separated: ${LIVE_TOPICS.join(", ")}`,
      },
    },
  },
  response: {
    200: {
      description: "an event stream: `hello` once, then `requests` and `map` events as data arrives",
      content: { "text/event-stream": { schema: { type: "string" } } },
    },
    503: errorResponseSchema,
    ...errorResponses,
  },
} as const;

export const liveRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { live }) => {
  app.get<{ Querystring: LiveQuery }>("/", { schema: liveSchema }, async (request, reply) => {
    if (live === undefined) throw new ApiError(404, "not_found", "live updates are not enabled");
    const topics = new Set(request.query.topics.split(",") as LiveTopic[]);
    const raw = reply.raw;
    // The response is written by hand from here on; fastify's serializers are bypassed.
    reply.hijack();
    raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      // Tells nginx-style proxies not to buffer the stream.
      "x-accel-buffering": "no",
    });
    const client = live.subscribe(topics, raw);
    if (client === undefined) {
      raw.end(
        `event: error\ndata: ${JSON.stringify({ message: "too many live subscribers; retry later" })}\n\n`,
      );
      return;
    }
    // Reconnect quickly after a drop (EventSource honours `retry`).
    raw.write("retry: 2000\n\n");
    client.send("hello", { topics: [...topics] });
  });
};
