// The served OpenAPI document describes every route with its parameters and responses.
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectorApp } from "../../../../app.js";
import { IngestStats } from "../../../../ingest/ingest-stats.js";
import type { Storage } from "../../../../storage/storage.js";

const unusedStorage: Storage = {
  kind: "embedded",
  select: () => Promise.resolve([]),
  command: () => Promise.resolve(),
  insertRows: () => Promise.resolve(),
  isReachable: () => Promise.resolve(true),
  close: () => Promise.resolve(),
};

interface Operation {
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

const app = Fastify({ logger: false });
let document: OpenApiDocument;

beforeAll(async () => {
  await app.register(collectorApp, { storage: unusedStorage, ingestStats: new IngestStats() });
  const response = await app.inject({ method: "GET", url: "/api/v1/openapi.json" });
  expect(response.statusCode).toBe(200);
  document = response.json<OpenApiDocument>();
});
afterAll(() => app.close());

describe("GET /api/v1/openapi.json", () => {
  it("is an OpenAPI 3 document listing the API's routes", () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/health",
        "/api/v1/services",
        "/api/v1/map",
        "/api/v1/requests",
        "/api/v1/stats",
      ]),
    );
  });

  it("gives every operation a JSON schema for its successful response", () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const success = Object.entries(operation.responses).find(([code]) => code.startsWith("2"));
        expect(success, `${method} ${path}`).toBeDefined();
        if (success?.[0] === "204") continue; // No Content has no body to describe.
        const content = success?.[1].content ?? {};
        const schemas = Object.values(content).map((media) => media.schema);
        expect(schemas.length, `${method} ${path} has a response schema`).toBeGreaterThan(0);
      }
    }
  });

  it("documents query parameters with the constraints the server enforces", () => {
    const search = document.paths["/api/v1/requests"]?.get;
    const names = (search?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["from", "to", "protocol", "service", "limit"]));
    expect(search?.responses["400"]).toBeDefined();
  });
});
