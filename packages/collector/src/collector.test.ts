// End to end over the embedded engine: real gRPC ingest in, real HTTP out.
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestRecord } from "./fixtures/ingest-client.js";
import { metricSeries } from "./fixtures/metric-series.js";
import { type CollectorUnderTest, startCollectorUnderTest } from "./http/fixtures/running-collector.js";
import type { RequestView } from "./query/requests-query.js";
import type { ServiceMap } from "./query/service-map-query.js";

const frontend = { service: "frontend", ip: "10.0.0.1", port: 51000, pid: 11, processName: "node" };
const backendA = { service: "backend-a", ip: "10.0.0.2", port: 8080, pid: 22, processName: "backend" };
const unnamedPostgres = { ip: "10.0.0.5", port: 5432 };
const unknownClient = { ip: "192.168.1.9", port: 40000 };

let t: CollectorUnderTest;
// Records sit one minute in the past so they are inside the default 15-minute window.
const base = Date.now() - 60_000;
const twoHoursAgo = base - 2 * 60 * 60 * 1000;

beforeAll(async () => {
  t = await startCollectorUnderTest();

  // frontend -> backend-a, each call observed at both ends. Client side: 1..4 ms,
  // one error. Server side: 100 ms and no error, so using the wrong side shows.
  const bothEnds = [1, 2, 3, 4].flatMap((ms, i) => [
    requestRecord({
      side: "client",
      startMs: base + i,
      durationMs: ms,
      client: frontend,
      server: backendA,
      status: i === 3 ? 500 : 200,
      error: i === 3,
      target: `/users/${i}`,
      traceId: i === 0 ? "4bf92f3577b34da6a3ce929d0e0e4736" : "",
    }),
    requestRecord({
      side: "server",
      startMs: base + i,
      durationMs: 100,
      client: frontend,
      server: backendA,
      target: `/users/${i}`,
    }),
  ]);
  // backend-a -> an unnamed PostgreSQL, seen only by the client.
  const toPostgres = [0, 1, 2].map((i) =>
    requestRecord({
      protocol: "postgres",
      side: "client",
      startMs: base + 100 + i,
      durationMs: 5,
      client: backendA,
      server: unnamedPostgres,
      operation: "SELECT",
      target: "users",
    }),
  );
  // An unknown client calling frontend, seen only by the server.
  const fromUnknown = [0, 1].map((i) =>
    requestRecord({
      side: "server",
      startMs: base + 200 + i,
      durationMs: 7,
      client: unknownClient,
      server: { ...frontend, port: 3000 },
      error: i === 1,
      status: i === 1 ? 503 : 200,
    }),
  );
  const old = requestRecord({
    side: "client",
    startMs: twoHoursAgo,
    durationMs: 1,
    client: frontend,
    server: backendA,
    target: "/old",
  });

  // The map reads the agents' metric series: the same requests, folded.
  const edge = (spec: Omit<Parameters<typeof metricSeries>[0], "kind">) =>
    metricSeries({ kind: "edge", ...spec });
  const first = await t.ingest.send({
    agentId: "host-1",
    batchSeq: 1n,
    requests: [...bothEnds, ...toPostgres],
    metrics: [
      edge({ side: "client", startMs: base, durationsMs: [1, 2, 3], client: frontend, server: backendA }),
      edge({
        side: "client",
        startMs: base,
        durationsMs: [4],
        errors: 1,
        client: frontend,
        server: backendA,
      }),
      edge({
        side: "server",
        startMs: base,
        durationsMs: [100, 100, 100, 100],
        client: frontend,
        server: backendA,
      }),
      edge({
        protocol: "postgres",
        side: "client",
        startMs: base + 100,
        durationsMs: [5, 5, 5],
        client: backendA,
        server: unnamedPostgres,
        statusClass: "ok",
      }),
    ],
  });
  const second = await t.ingest.send({
    agentId: "host-2",
    batchSeq: 1n,
    requests: [...fromUnknown, old],
    metrics: [
      edge({
        side: "server",
        startMs: base + 200,
        durationsMs: [7],
        client: unknownClient,
        server: { ...frontend, port: 3000 },
      }),
      edge({
        side: "server",
        startMs: base + 200,
        durationsMs: [7],
        errors: 1,
        client: unknownClient,
        server: { ...frontend, port: 3000 },
      }),
      edge({ side: "client", startMs: twoHoursAgo, durationsMs: [1], client: frontend, server: backendA }),
    ],
  });
  expect(first).toMatchObject({ ok: true, response: { accepted: 11, duplicate: false } });
  expect(second).toMatchObject({ ok: true, response: { accepted: 3, duplicate: false } });
});

afterAll(() => t?.close());

describe("health", () => {
  it("reports ok once storage is ready", async () => {
    expect(await t.get("/api/v1/health")).toEqual({ status: 200, body: { status: "ok" } });
  });
});

describe("GET /api/v1/services", () => {
  it("lists every service seen as client or server, sorted, with the requests each served", async () => {
    const { status: code, body } = await t.get<{ services: unknown[] }>("/api/v1/services");
    expect(code).toBe(200);
    expect(body.services).toEqual([
      { name: "10.0.0.5:5432", requestCount: 3, errorCount: 0 },
      { name: "192.168.1.9", requestCount: 0, errorCount: 0 },
      { name: "backend-a", requestCount: 4, errorCount: 1 },
      { name: "frontend", requestCount: 2, errorCount: 1 },
    ]);
  });

  it("honours the time range", async () => {
    const { body } = await t.get<{ services: unknown[] }>(
      `/api/v1/services?from=${twoHoursAgo - 1000}&to=${new Date(twoHoursAgo + 1000).toISOString()}`,
    );
    expect(body.services).toEqual([
      { name: "backend-a", requestCount: 1, errorCount: 0 },
      { name: "frontend", requestCount: 0, errorCount: 0 },
    ]);
  });
});

describe("GET /api/v1/map", () => {
  it("counts a call seen at both ends once, from the client side", async () => {
    const { status: code, body } = await t.get<ServiceMap & { from: string; to: string }>("/api/v1/map");
    expect(code).toBe(200);
    const edge = body.edges.find((e) => e.id === "frontend->backend-a");
    expect(edge).toMatchObject({
      source: "frontend",
      target: "backend-a",
      protocols: ["http"],
      requestCount: 4,
      errorCount: 1,
    });
    // Client-side durations are 1..4 ms; the server side's 100 ms must not leak in.
    expect(edge?.p50Ms).toBeGreaterThanOrEqual(1);
    expect(edge?.p50Ms).toBeLessThanOrEqual(4);
    expect(edge?.p99Ms).toBeGreaterThanOrEqual(3);
    expect(edge?.p99Ms).toBeLessThanOrEqual(4);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(15 * 60 * 1000);
  });

  it("falls back to server-side rows and names unknown peers by address", async () => {
    const { body } = await t.get<ServiceMap>("/api/v1/map");
    expect(body.edges.map((e) => e.id).sort()).toEqual([
      "192.168.1.9->frontend",
      "backend-a->10.0.0.5:5432",
      "frontend->backend-a",
    ]);
    expect(body.edges.find((e) => e.id === "192.168.1.9->frontend")).toMatchObject({
      requestCount: 2,
      errorCount: 1,
      // Within the histogram's 1.08%.
      p50Ms: expect.closeTo(7, 1),
    });
    expect(body.nodes).toEqual([
      { id: "10.0.0.5:5432", label: "10.0.0.5:5432", kind: "external", requestCount: 3, errorCount: 0 },
      { id: "192.168.1.9", label: "192.168.1.9", kind: "external", requestCount: 0, errorCount: 0 },
      { id: "backend-a", label: "backend-a", kind: "service", requestCount: 4, errorCount: 1 },
      { id: "frontend", label: "frontend", kind: "service", requestCount: 2, errorCount: 1 },
    ]);
  });

  it("filters by protocol", async () => {
    const { body } = await t.get<ServiceMap>("/api/v1/map?protocol=postgres");
    expect(body.edges).toHaveLength(1);
    expect(body.edges[0]).toMatchObject({
      id: "backend-a->10.0.0.5:5432",
      protocols: ["postgres"],
      requestCount: 3,
      p50Ms: expect.closeTo(5, 1),
    });
    expect(body.nodes.map((n) => n.id)).toEqual(["10.0.0.5:5432", "backend-a"]);
  });
});

describe("GET /api/v1/requests", () => {
  it("returns requests newest first with every field of the record", async () => {
    const { status: code, body } = await t.get<{ requests: RequestView[] }>(
      "/api/v1/requests?observations=all",
    );
    expect(code).toBe(200);
    expect(body.requests).toHaveLength(13);
    const times = body.requests.map((r) => BigInt(r.timeUnixNano));
    expect(times).toEqual([...times].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    const traced = body.requests.find((r) => r.traceId !== "");
    expect(traced).toEqual({
      id: expect.stringMatching(/^\d+-[0-9a-f]{16}$/),
      time: new Date(base).toISOString(),
      timeUnixNano: (BigInt(base) * 1_000_000n).toString(),
      protocol: "http",
      side: "client",
      // Host mode: no Kubernetes identity; the node of a process is its agent's host.
      client: { ...frontend, containerId: "", namespace: "", workload: "", pod: "", node: "test-host" },
      server: { ...backendA, containerId: "", namespace: "", workload: "", pod: "", node: "test-host" },
      operation: "GET",
      target: "/users/0",
      status: 200,
      error: false,
      durationMs: 1,
      requestBytes: 100,
      responseBytes: 200,
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "",
      parentSpanId: "",
      agentId: "host-1",
      sampleWeight: 1,
    });
  });

  it("lists a call seen at both ends once, from the client side, unless every observation is asked for", async () => {
    const once = await t.get<{ requests: RequestView[] }>("/api/v1/requests?service=backend-a");
    const toBackend = once.body.requests.filter((r) => r.server.service === "backend-a");
    expect(toBackend.map((r) => r.side)).toEqual(["client", "client", "client", "client"]);
    expect(toBackend.map((r) => r.target).sort()).toEqual(["/users/0", "/users/1", "/users/2", "/users/3"]);
    // Calls whose client was not traced are still listed, from the server's side.
    const fromUnknown = await t.get<{ requests: RequestView[] }>("/api/v1/requests?service=192.168.1.9");
    expect(fromUnknown.body.requests.map((r) => r.side)).toEqual(["server", "server"]);
    const all = await t.get<{ requests: RequestView[] }>(
      "/api/v1/requests?service=backend-a&observations=all",
    );
    expect(all.body.requests.filter((r) => r.server.service === "backend-a")).toHaveLength(8);
    const bad = await t.get<{ error: { message: string } }>("/api/v1/requests?observations=both");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/observations/);
  });

  it("applies limit after ordering, so the newest come back", async () => {
    const { body } = await t.get<{ requests: RequestView[] }>("/api/v1/requests?limit=2");
    expect(body.requests.map((r) => r.timeUnixNano)).toEqual([
      (BigInt(base + 201) * 1_000_000n).toString(),
      (BigInt(base + 200) * 1_000_000n).toString(),
    ]);
  });

  it("filters by protocol and by service as client or server, including address-named peers", async () => {
    const postgres = await t.get<{ requests: RequestView[] }>("/api/v1/requests?protocol=postgres");
    expect(postgres.body.requests.map((r) => r.protocol)).toEqual(["postgres", "postgres", "postgres"]);
    const backend = await t.get<{ requests: RequestView[] }>("/api/v1/requests?service=backend-a");
    expect(backend.body.requests).toHaveLength(7);
    const external = await t.get<{ requests: RequestView[] }>("/api/v1/requests?service=10.0.0.5:5432");
    expect(external.body.requests).toHaveLength(3);
    const both = await t.get<{ requests: RequestView[] }>(
      "/api/v1/requests?service=frontend&protocol=postgres",
    );
    expect(both.body.requests).toEqual([]);
    const blank = await t.get<{ requests: RequestView[] }>("/api/v1/requests?service=&protocol=");
    expect(blank.body.requests).toHaveLength(9);
  });

  it("finds older requests only when the range includes them", async () => {
    const { body } = await t.get<{ requests: RequestView[] }>(
      `/api/v1/requests?from=${twoHoursAgo}&to=${twoHoursAgo + 1}`,
    );
    expect(body.requests.map((r) => r.target)).toEqual(["/old"]);
  });

  it("treats SQL-looking input as a literal value", async () => {
    const response = await t.get<{ requests: RequestView[] }>(
      `/api/v1/requests?service=${encodeURIComponent("x' OR 1=1 --")}`,
    );
    expect(response).toEqual({
      status: 200,
      body: {
        requests: [],
        nextCursor: null,
        sampling: { sampled: false, records: 0, estimatedRequests: 0, maxSampleWeight: 1 },
      },
    });
  });
});

describe("bad parameters", () => {
  const cases: [string, RegExp][] = [
    ["/api/v1/requests?from=yesterday", /from must be epoch milliseconds or an ISO-8601 timestamp/],
    ["/api/v1/map?to=2024-13-45T99:00:00Z", /to must be epoch milliseconds or an ISO-8601 timestamp/],
    ["/api/v1/services?from=2000&to=1000", /from must be earlier than to/],
    ["/api/v1/services?from=0&to=2764800001", /at most 31 days/],
    ["/api/v1/map?protocol=ftp", /protocol must be one of http, http2, grpc, .*, mqtt$/],
    ["/api/v1/requests?limit=0", /limit must be >= 1/],
    ["/api/v1/requests?limit=1001", /limit must be <= 1000/],
    ["/api/v1/requests?limit=ten", /limit must be integer/],
  ];
  it.each(cases)("%s is a 400 with a clear message", async (path, message) => {
    const { status: code, body } = await t.get<{ error: { code: string; message: string } }>(path);
    expect(code).toBe(400);
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toMatch(message);
  });

  it("answers unknown paths with not_found", async () => {
    const { status: code, body } = await t.get<{ error: { code: string } }>("/api/v1/nothing-here");
    expect(code).toBe(404);
    expect(body.error.code).toBe("not_found");
  });
});

describe("ingest", () => {
  const valid = (target: string) =>
    requestRecord({
      side: "client",
      startMs: base + 500,
      durationMs: 1,
      client: frontend,
      server: { service: "ingest-check", ip: "10.0.0.9", port: 80 },
      target,
    });

  it("rejects malformed batches with a reason and keeps storing the next valid one", async () => {
    const noAgent = await t.ingest.send({ agentId: "", requests: [valid("/a")] });
    const noProtocol = await t.ingest.send({
      agentId: "host-3",
      requests: [valid("/b"), { ...valid("/c"), protocol: "" }],
    });
    const zeroTime = await t.ingest.send({
      agentId: "host-3",
      requests: [{ ...valid("/d"), startTimeUnixNano: 0n }],
    });
    for (const result of [noAgent, noProtocol, zeroTime]) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe(status.INVALID_ARGUMENT);
    }
    expect(!noAgent.ok && noAgent.error.details).toBe("agent_id is empty");
    expect(!noProtocol.ok && noProtocol.error.details).toMatch(/requests\[1\]: protocol is empty/);
    expect(!zeroTime.ok && zeroTime.error.details).toMatch(
      /requests\[0\]: start_time_unix_nano is before the year 2000/,
    );

    const accepted = await t.ingest.send({ agentId: "host-3", requests: [valid("/e")] });
    expect(accepted).toMatchObject({ ok: true, response: { accepted: 1 } });
    const { body } = await t.get<{ requests: RequestView[] }>("/api/v1/requests?service=ingest-check");
    // Nothing from a rejected batch was stored, not even its valid records.
    expect(body.requests.map((r) => r.target)).toEqual(["/e"]);

    const stats = await t.get<{ ingest: { batchesRejectedInvalid: number } }>("/api/v1/stats");
    expect(stats.body.ingest.batchesRejectedInvalid).toBe(3);
  });

  it("acknowledges a retried batch as a duplicate without storing it twice", async () => {
    const batch = { agentId: "host-4", batchSeq: 7n, requests: [valid("/retried")] };
    expect(await t.ingest.send(batch)).toMatchObject({
      ok: true,
      response: { accepted: 1, duplicate: false },
    });
    expect(await t.ingest.send(batch)).toMatchObject({
      ok: true,
      response: { accepted: 0, duplicate: true },
    });
    const { body } = await t.get<{ requests: RequestView[] }>("/api/v1/requests?service=ingest-check");
    expect(body.requests.filter((r) => r.target === "/retried")).toHaveLength(1);
  });
});
