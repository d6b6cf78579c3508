// The collection config's body schema through the real app (its validator and
// error handler), and the wire form agents receive.
import { CAPTURE_PROTOCOLS } from "@periscope/proto";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectorApp } from "../app.js";
import { IngestStats } from "../ingest/ingest-stats.js";
import type { AgentControlPort } from "../routes/route-dependencies.js";
import type { Storage } from "../storage/storage.js";
import type { StoredConfig } from "./agent-config-store.js";
import {
  type CollectionConfigBody,
  MAX_RECORD_BUDGET_PER_SECOND,
  toWireConfig,
} from "./collection-config.js";

const unusedStorage: Storage = {
  kind: "embedded",
  select: () => Promise.reject(new Error("not used")),
  command: () => Promise.reject(new Error("not used")),
  insertRows: () => Promise.reject(new Error("not used")),
  isReachable: () => Promise.resolve(true),
  close: () => Promise.resolve(),
};

/** Keeps what the route stored, as AgentControl would, without agents. */
function recordingControl(): AgentControlPort & { stored: CollectionConfigBody[] } {
  const stored: CollectionConfigBody[] = [];
  return {
    stored,
    configState: () => ({
      desiredVersion: 0,
      appliedVersion: 0,
      connected: false,
      lastError: "",
      unsupported: [],
    }),
    connectedAgents: () => [],
    configFor: () => undefined,
    setConfig: (scope, config, updatedBy): Promise<StoredConfig & { pushedTo: number }> => {
      stored.push(config);
      return Promise.resolve({
        scope,
        version: stored.length,
        config,
        updatedAt: "2026-01-01T00:00:00.000Z",
        updatedBy,
        pushedTo: 0,
      });
    },
  };
}

describe("PUT /api/v1/agents/config", () => {
  const control = recordingControl();
  const app = Fastify({ logger: false });
  beforeAll(() =>
    app.register(collectorApp, {
      storage: unusedStorage,
      ingestStats: new IngestStats(),
      agentControl: control,
    }),
  );
  afterAll(() => app.close());
  const put = (body: unknown) =>
    app.inject({ method: "PUT", url: "/api/v1/agents/config", payload: body as object });

  it("takes a record budget and returns it with the stored config", async () => {
    const response = await put({ recordBudgetPerSecond: 5000, disabledProtocols: ["http", "redis"] });
    expect(response.statusCode).toBe(200);
    expect(response.json().config).toEqual({
      recordBudgetPerSecond: 5000,
      disabledProtocols: ["http", "redis"],
    });
    expect(control.stored.at(-1)).toEqual({
      recordBudgetPerSecond: 5000,
      disabledProtocols: ["http", "redis"],
    });
  });

  it.each([0, -1, MAX_RECORD_BUDGET_PER_SECOND + 1, 1.5])(
    "refuses a record budget of %j, naming the field",
    async (budget) => {
      const response = await put({ recordBudgetPerSecond: budget });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toMatch(/^recordBudgetPerSecond /);
    },
  );

  it("takes a profiling rate from 0 (off) to 499 Hz and refuses others, naming the field", async () => {
    expect((await put({ profileHz: 0 })).statusCode).toBe(200);
    expect((await put({ profileHz: 499 })).json().config).toEqual({ profileHz: 499 });
    for (const rate of [-1, 500, 9.5]) {
      const response = await put({ profileHz: rate });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toMatch(/^profileHz /);
    }
  });

  it("refuses the old protocol name http1, naming the field and the accepted names", async () => {
    const response = await put({ disabledProtocols: ["redis", "http1"] });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({
      code: "bad_request",
      message: `disabledProtocols/1 must be one of ${CAPTURE_PROTOCOLS.join(", ")}`,
    });
  });

  it("has no switch for grpc, which the kernel sees as HTTP/2", async () => {
    expect((await put({ disabledProtocols: ["grpc"] })).statusCode).toBe(400);
  });
});

describe("toWireConfig", () => {
  it("sends the record budget, 0 when absent (the agent's default)", () => {
    expect(toWireConfig(3, { recordBudgetPerSecond: 250 }).recordBudgetPerSecond).toBe(250);
    expect(toWireConfig(3, {}).recordBudgetPerSecond).toBe(0);
    // Profiling's rate is optional on the wire: absent keeps the agent's own, 0 is off.
    expect(toWireConfig(3, {}).profileHz).toBeUndefined();
    expect(toWireConfig(3, { profileHz: 0 }).profileHz).toBe(0);
    expect(toWireConfig(3, { disabledProtocols: ["http"] })).toMatchObject({
      version: 3n,
      disabledProtocols: ["http"],
    });
  });
});
