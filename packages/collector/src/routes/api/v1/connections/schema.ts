import { errorResponses, timeRangeQueryProperties } from "../../../../http/shared-schemas.js";

export interface ConnectionsQuery {
  from?: string;
  to?: string;
  process?: string;
  remote_ip?: string;
  problems?: boolean;
  limit?: number;
}

const endpoint = {
  type: "object",
  required: ["ip", "port"],
  properties: { ip: { type: "string" }, port: { type: "integer" } },
} as const;

export const connectionsSchema = {
  querystring: {
    type: "object",
    properties: {
      ...timeRangeQueryProperties,
      process: { type: "string", maxLength: 64, description: "process name (comm) on the observing host" },
      remote_ip: { type: "string", maxLength: 64 },
      problems: {
        type: "boolean",
        description: "only intervals with retransmits, resets or a failed connect",
      },
      limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
    },
    additionalProperties: false,
  },
  response: {
    200: {
      type: "object",
      required: ["connections"],
      properties: {
        connections: {
          type: "array",
          items: {
            type: "object",
            properties: {
              time: { type: "integer" },
              agentId: { type: "string" },
              connectionId: { type: "string" },
              intervalMs: { type: "number" },
              role: { type: "string" },
              pid: { type: "integer" },
              process: { type: "string" },
              local: endpoint,
              remote: endpoint,
              bytesSent: { type: "integer" },
              bytesReceived: { type: "integer" },
              retransmits: { type: "integer" },
              resetsSent: { type: "integer" },
              resetsReceived: { type: "integer" },
              stateChanges: { type: "integer" },
              connectFailed: { type: "boolean" },
              connectMs: { type: "number" },
              srttUs: { type: "integer" },
              state: { type: "string" },
              opened: { type: "boolean" },
              closed: { type: "boolean" },
            },
          },
        },
      },
    },
    ...errorResponses,
  },
} as const;
