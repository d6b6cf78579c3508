import { errorResponses } from "../../../../http/shared-schemas.js";

export const agentConfigStateSchema = {
  type: "object",
  required: ["desiredVersion", "appliedVersion", "connected", "lastError", "unsupported"],
  properties: {
    desiredVersion: { type: "integer", description: "config version the collector wants the agent to run" },
    appliedVersion: { type: "integer", description: "config version the agent last reported applied" },
    connected: { type: "boolean", description: "the agent holds its control stream open" },
    lastError: { type: "string", description: "why the agent refused the latest config (empty: applied)" },
    unsupported: {
      type: "array",
      items: { type: "string" },
      description: "settings the agent cannot apply and ignored",
    },
  },
} as const;

const agentSchema = {
  type: "object",
  required: ["agentId", "hostname", "version", "kernel", "lastSeen", "health", "drops", "config"],
  properties: {
    agentId: { type: "string" },
    hostname: { type: "string" },
    version: { type: "string", description: "agent version" },
    kernel: { type: "string", description: "kernel release of the agent's node" },
    lastSeen: { type: "string", description: "last batch or heartbeat, ISO-8601" },
    health: {
      type: "string",
      enum: ["ok", "degraded", "stale"],
      description:
        "stale: no heartbeat for 30 s; degraded: reporting, but running without some capture on its node (captureProblems says what and why)",
    },
    captureProblems: {
      type: "array",
      description:
        "capture features the agent runs without on its node (a BPF object missing, a kernel feature, mount or capability lacking), from its latest batch; absent until this collector hears from it",
      items: {
        type: "object",
        required: ["feature", "reason"],
        properties: {
          feature: {
            type: "string",
            description: "tcp_health, tls, process_exit_close, container_ids, process_lookup or capture",
          },
          reason: { type: "string", description: "what is missing and what to do" },
        },
      },
    },
    activity: {
      type: "object",
      description:
        "what the agent handled since it started, from its latest batch (decimal strings: 64-bit; a rate is the difference between two reads over their time apart); absent from agents that do not report it",
      required: ["events", "records", "recordsSent"],
      properties: {
        events: { type: "string", description: "kernel events delivered to the agent" },
        records: { type: "string", description: "requests parsed into records, kept or sampled out" },
        recordsSent: { type: "string", description: "records in batches a collector acknowledged" },
      },
    },
    drops: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "the agent's loss counters since it started (decimal strings: 64-bit)",
    },
    config: agentConfigStateSchema,
    backlog: {
      type: "object",
      description:
        "what the agent held unacknowledged when it sent its latest batch (absent until this collector hears from it): batches in memory and in its disk spool, ages of the oldest in ms",
      required: [
        "pendingBatches",
        "inFlightBatches",
        "oldestPendingAgeMs",
        "spoolBatches",
        "spoolBytes",
        "spoolOldestAgeMs",
      ],
      properties: {
        pendingBatches: { type: "integer" },
        inFlightBatches: { type: "integer" },
        oldestPendingAgeMs: { type: "integer" },
        spoolBatches: { type: "integer" },
        spoolBytes: { type: "integer" },
        spoolOldestAgeMs: { type: "integer" },
      },
    },
  },
} as const;

export const listAgentsSchema = {
  summary: "Every agent with health, versions, drop counters and config version",
  tags: ["agents"],
  querystring: { type: "object", properties: {} },
  response: {
    200: {
      type: "object",
      required: ["agents"],
      properties: { agents: { type: "array", items: agentSchema } },
    },
    ...errorResponses,
  },
} as const;
