// Shared links over the embedded engine: create, read back, frozen rows, bounds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CollectorUnderTest,
  call,
  startCollectorUnderTest,
} from "../../../../http/fixtures/running-collector.js";
import type { SharedLink } from "../../../../query/shared-links-query.js";

type ApiError = { error: { code: string; message: string } };

const nowMs = Date.now();
const from = new Date(nowMs - 300_000).toISOString();
const to = nowMs + 1000;
const view = { page: "map", filters: { protocol: "http", errorsOnly: true }, hidden: ["db"], zoom: 1.5 };

let t: CollectorUnderTest;

beforeAll(async () => {
  t = await startCollectorUnderTest();
  const requests = [1, 2, 3].map((i) =>
    call({
      side: "client",
      timeNs: BigInt(nowMs - 60_000 + i) * 1_000_000n,
      client: { service: "web", ip: "10.4.0.1", port: 40000 },
      server: { service: i === 3 ? "db" : "api", ip: "10.4.0.2", port: 80 },
      target: `/incident/${i}`,
      status: 500,
      error: true,
    }),
  );
  expect(await t.ingest.send({ agentId: "node-a", requests })).toMatchObject({ ok: true });
});

afterAll(() => t?.close());

describe("shared links", () => {
  it("stores absolute times and the view state as given, and reads them back by id", async () => {
    const created = await t.send<SharedLink>("POST", "/api/v1/links", {
      title: "checkout 500s",
      from,
      to,
      view,
    });
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const read = await t.get<SharedLink>(`/api/v1/links/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      id: created.body.id,
      title: "checkout 500s",
      notes: "",
      createdAt: created.body.createdAt,
      createdBy: "anonymous",
      from,
      to: new Date(to).toISOString(),
      view,
      frozen: false,
      frozenRequests: null,
      frozenMap: null,
    });
  });

  it("keeps a frozen copy of the requests a search found", async () => {
    const created = await t.send<SharedLink>("POST", "/api/v1/links", {
      from,
      to,
      view,
      freeze: { service: "api", error: "true" },
    });
    expect(created.status).toBe(201);
    const { body } = await t.get<SharedLink>(`/api/v1/links/${created.body.id}`);
    expect(body.frozen).toBe(true);
    expect(body.frozenRequests?.map((r) => r.target)).toEqual(["/incident/2", "/incident/1"]);
    const nothing = await t.send<SharedLink>("POST", "/api/v1/links", {
      from,
      to,
      view,
      freeze: { service: "none" },
    });
    expect((await t.get<SharedLink>(`/api/v1/links/${nothing.body.id}`)).body).toMatchObject({
      frozen: true,
      frozenRequests: [],
    });
  });

  const bad: [string, object, RegExp][] = [
    ["missing times", { view }, /from/],
    ["relative times", { from: "now-15m", to, view }, /from must be epoch milliseconds or an ISO-8601/],
    ["a view that is not an object", { from, to, view: "map" }, /view must be object/],
    ["a bad freeze filter", { from, to, view, freeze: { status: "x" } }, /status must match pattern/],
    [
      "too deep a view",
      { from, to, view: JSON.parse(`${'{"a":'.repeat(40)}1${"}".repeat(40)}`) },
      /nests deeper/,
    ],
  ];
  it.each(bad)("refuses %s with a 400", async (_name, body, message) => {
    const response = await t.send<ApiError>("POST", "/api/v1/links", body);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(message);
  });

  it("refuses an oversized view with a 413", async () => {
    const big = { from, to, view: { blob: "x".repeat(70 * 1024) } };
    const response = await t.send<ApiError>("POST", "/api/v1/links", big);
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe("payload_too_large");
  });

  it("lists links newest first, with title, notes, author and whether frozen", async () => {
    const older = await t.send<SharedLink>("POST", "/api/v1/links", { title: "older", from, to, view });
    const newer = await t.send<SharedLink>("POST", "/api/v1/links", {
      title: "newer",
      notes: "db failover at 14:02",
      from,
      to,
      view,
      freeze: { service: "api" },
    });
    const { status, body } = await t.get<{ links: (SharedLink & { view?: unknown })[] }>(
      "/api/v1/links?limit=2",
    );
    expect(status).toBe(200);
    expect(body.links.map((link) => link.id)).toEqual([newer.body.id, older.body.id]);
    expect(body.links[0]).toEqual({
      id: newer.body.id,
      title: "newer",
      notes: "db failover at 14:02",
      createdAt: newer.body.createdAt,
      createdBy: "anonymous",
      from,
      to: new Date(to).toISOString(),
      frozen: true,
    });
    for (const limit of ["0", "501", "1e309", "x"]) {
      expect((await t.get<ApiError>(`/api/v1/links?limit=${limit}`)).status, limit).toBe(400);
    }
  });

  it("answers 404 for an unknown link and 400 for a malformed id", async () => {
    expect((await t.get<ApiError>("/api/v1/links/AAAAAAAAAAAAAAAAAAAAAA")).status).toBe(404);
    expect((await t.get<ApiError>("/api/v1/links/short")).status).toBe(400);
  });
});

describe("GET /api/v1/agents", () => {
  it("lists each agent that reported, with health, versions and drop counters", async () => {
    const { status, body } = await t.get<{ agents: Record<string, unknown>[] }>("/api/v1/agents");
    expect(status).toBe(200);
    expect(body.agents).toHaveLength(1);
    expect(body.agents[0]).toMatchObject({
      agentId: "node-a",
      hostname: "test-host",
      version: "test",
      health: "ok",
      config: { desiredVersion: 0, appliedVersion: 0, connected: false },
    });
    expect(body.agents[0]?.drops).toMatchObject({ ringbufFull: "0", exportQueueFull: "0" });
  });
});
