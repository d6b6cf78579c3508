// The error contract, checked through the real plugin with a storage that fails.
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { collectorApp } from "./app.js";
import { IngestStats } from "./ingest/ingest-stats.js";
import type { Storage } from "./storage/storage.js";

const secret =
  "Code: 60. DB::Exception: Table default.requests does not exist. SELECT client_service FROM requests";

function failingStorage(): Storage {
  return {
    kind: "embedded",
    select: () => Promise.reject(new Error(secret)),
    command: () => Promise.reject(new Error(secret)),
    insertRows: () => Promise.reject(new Error(secret)),
    isReachable: () => Promise.resolve(false),
    close: () => Promise.resolve(),
  };
}

async function appWith(storage: Storage) {
  const app = Fastify({ logger: false });
  await app.register(collectorApp, { storage, ingestStats: new IngestStats() });
  return app;
}

describe("error handling", () => {
  it("hides storage internals behind a generic 500", async () => {
    const app = await appWith(failingStorage());
    for (const url of ["/api/v1/services", "/api/v1/map", "/api/v1/requests"]) {
      const response = await app.inject({ method: "GET", url });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ error: { code: "internal", message: "internal error" } });
      expect(response.body).not.toContain("requests does not exist");
    }
    await app.close();
  });

  it("reports health as unavailable while storage is unreachable", async () => {
    const app = await appWith(failingStorage());
    const response = await app.inject({ method: "GET", url: "/api/v1/health" });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ error: { code: "internal", message: "storage is unavailable" } });
    await app.close();
  });

  it("validates parameters before touching storage", async () => {
    const app = await appWith(failingStorage());
    const response = await app.inject({ method: "GET", url: "/api/v1/requests?limit=5000" });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code: "bad_request", message: "limit must be <= 1000" } });
    await app.close();
  });

  it("answers 400 for numbers that overflow to Infinity, naming the parameter", async () => {
    const app = await appWith(failingStorage());
    for (const [url, parameter] of [
      ["/api/v1/requests?limit=1e309", "limit"],
      ["/api/v1/endpoints?service=web&limit=1e309", "limit"],
      ["/api/v1/connections?limit=-1e309", "limit"],
      ["/api/v1/flamegraph?pid=1e309", "pid"],
    ] as const) {
      const response = await app.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toEqual({
        error: { code: "bad_request", message: `${parameter} is too large to be a number` },
      });
    }
    await app.close();
  });
});
