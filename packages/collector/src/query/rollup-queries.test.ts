// Map, map diff, RED, endpoints and flame graphs through the real HTTP routes,
// over the embedded engine: metric series go in through the ingest row
// mapping and the materialized views, figures come out of the roll-ups.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bucketIndex, bucketValue, LATENCY_SCALE, type MetricSeries } from "@periscope/proto";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectorApp } from "../app.js";
import { edgeAndEndpointSeries, metricSeries } from "../fixtures/metric-series.js";
import { IngestStats } from "../ingest/ingest-stats.js";
import { toMetricSeriesRow } from "../ingest/metric-series-row.js";
import { applyMigrations, loadMigrations } from "../storage/migrations.js";
import { openStorage, type Storage } from "../storage/storage.js";

let dataDir: string;
let storage: Storage;
let app: FastifyInstance;

// Whole minutes, so each group of calls falls in a known roll-up minute.
const M = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
const range = `from=${M - 60_000}&to=${M + 5 * 60_000}`;
const baselineRange = `baselineFrom=${M - 30 * 60_000}&baselineTo=${M - 15 * 60_000}`;

const web = { service: "web", ip: "10.0.0.1", port: 40000 };
const api = { service: "api", ip: "10.0.0.2", port: 8080 };
const shop = { clientNamespace: "shop", serverNamespace: "shop" };

/** What a latency of `ms` reads back as: its bucket's midpoint at the stored scale, in ms. */
const reported = (ms: number) =>
  Math.round(bucketValue(bucketIndex(ms * 1e6, LATENCY_SCALE), LATENCY_SCALE) / 1_000) / 1_000;

async function store(series: MetricSeries[]): Promise<void> {
  await storage.insertRows(
    "metric_series",
    series.map((s) => toMetricSeriesRow("agent-1", s)),
  );
}

async function get<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await app.inject({ method: "GET", url });
  return { status: response.statusCode, body: response.json() as T };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "periscope-rollups-"));
  storage = openStorage({ kind: "embedded", dataDir });
  await applyMigrations(storage, await loadMigrations({ retentionDays: 7 }));
  app = Fastify({ logger: { level: process.env.TEST_LOG ?? "silent" } });
  await app.register(collectorApp, { storage, ingestStats: new IngestStats() });

  const webToApi = { client: web, server: api, target: "/users/{id}", ...shop };
  await store([
    // web -> api seen at both ends: client side 10 ms with one error (its own status class), server side 8 ms.
    ...edgeAndEndpointSeries({ ...webToApi, side: "client", startMs: M, durationsMs: [10, 10] }),
    ...edgeAndEndpointSeries({ ...webToApi, side: "client", startMs: M, durationsMs: [10], errors: 1 }),
    ...edgeAndEndpointSeries({ ...webToApi, side: "server", startMs: M, durationsMs: [8, 8, 8] }),
    // api -> an unnamed PostgreSQL, seen by the client only.
    ...edgeAndEndpointSeries({
      protocol: "postgres",
      side: "client",
      startMs: M + 60_000,
      durationsMs: [5, 5],
      client: api,
      server: { ip: "10.0.0.5", port: 5432 },
      operation: "SELECT",
      target: "orders",
      statusClass: "ok",
      clientNamespace: "shop",
    }),
    // An unknown client calling web, seen by web only.
    ...edgeAndEndpointSeries({
      side: "server",
      startMs: M + 120_000,
      durationsMs: [3, 3],
      client: { ip: "192.168.1.9", port: 50000 },
      server: { ...web, port: 3000 },
    }),
    // A host process without a service name, and a remote peer known by its DNS name.
    metricSeries({
      kind: "edge",
      side: "client",
      startMs: M,
      durationsMs: [2],
      client: web,
      server: { ip: "10.0.0.7", port: 8081, processName: "nginx", pid: 7 },
    }),
    metricSeries({
      kind: "edge",
      side: "client",
      startMs: M,
      durationsMs: [40],
      client: web,
      server: { ip: "203.0.113.9", port: 443 },
      serverHost: "payments.example.com",
    }),
    // Baseline: web -> api at a lower rate, and an edge that has since vanished.
    ...edgeAndEndpointSeries({ ...webToApi, side: "client", startMs: M - 20 * 60_000, durationsMs: [10] }),
    metricSeries({
      kind: "edge",
      side: "client",
      startMs: M - 20 * 60_000,
      durationsMs: [10],
      client: api,
      server: { service: "legacy", ip: "10.0.0.9", port: 80 },
    }),
  ]);
});

afterAll(async () => {
  await app?.close();
  await storage?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface MapBody {
  nodes: { id: string; kind: string; namespace?: string; requestCount: number; errorCount: number }[];
  edges: {
    id: string;
    requestCount: number;
    errorCount: number;
    p50Ms: number;
    p99Ms: number;
    observedFrom: string;
    protocols: string[];
  }[];
}

describe("GET /api/v1/map over the roll-ups", () => {
  it("counts a call seen at both ends once, from the client side, and names every kind of peer", async () => {
    const { status, body } = await get<MapBody>(`/api/v1/map?${range}`);
    expect(status).toBe(200);
    expect(body.edges.map((e) => e.id)).toEqual([
      "192.168.1.9->web",
      "api->10.0.0.5:5432",
      "web->api",
      "web->nginx:8081",
      "web->payments.example.com",
    ]);
    expect(body.edges.find((e) => e.id === "web->api")).toMatchObject({
      requestCount: 3,
      errorCount: 1,
      p50Ms: reported(10),
      p99Ms: reported(10),
      observedFrom: "client",
    });
    expect(body.edges.find((e) => e.id === "192.168.1.9->web")).toMatchObject({
      requestCount: 2,
      observedFrom: "server",
      p50Ms: reported(3),
    });
    const kinds = Object.fromEntries(body.nodes.map((n) => [n.id, n.kind]));
    expect(kinds).toEqual({
      "10.0.0.5:5432": "external",
      "192.168.1.9": "external",
      api: "service",
      "nginx:8081": "service",
      "payments.example.com": "external",
      web: "service",
    });
    expect(body.nodes.find((n) => n.id === "api")).toMatchObject({
      namespace: "shop",
      requestCount: 3,
      errorCount: 1,
    });
  });

  it("gives the same figures when whole hours come from the hourly roll-up", async () => {
    // Three hours back: whole hours are read hourly, the ends by the minute.
    const { body } = await get<MapBody>(
      `/api/v1/map?from=${M - 3 * 3_600_000 + 30_000}&to=${M + 5 * 60_000}`,
    );
    expect(body.edges.find((e) => e.id === "web->api")).toMatchObject({
      requestCount: 4,
      errorCount: 1,
      p50Ms: reported(10),
    });
    expect(body.edges.find((e) => e.id === "api->legacy")).toMatchObject({ requestCount: 1 });
    const month = await get<{ stepSeconds: number; points: { requests: number; errors: number }[] }>(
      `/api/v1/red?client=web&server=api&from=${M - 30 * 86_400_000}&to=${M + 5 * 60_000}`,
    );
    expect(month.body.stepSeconds % 3600).toBe(0);
    expect(month.body.points.reduce((sum, p) => sum + p.requests, 0)).toBe(4);
    expect(month.body.points.reduce((sum, p) => sum + p.errors, 0)).toBe(1);
  });

  it("filters: errors only, protocol, hidden nodes, one namespace", async () => {
    const errors = await get<MapBody>(`/api/v1/map?${range}&errorsOnly=true`);
    expect(errors.body.edges.map((e) => e.id)).toEqual(["web->api"]);
    expect(errors.body.nodes.map((n) => n.id)).toEqual(["api", "web"]);
    const postgres = await get<MapBody>(`/api/v1/map?${range}&protocol=postgres`);
    expect(postgres.body.edges.map((e) => e.id)).toEqual(["api->10.0.0.5:5432"]);
    const hidden = await get<MapBody>(`/api/v1/map?${range}&hide=api,192.168.1.9`);
    expect(hidden.body.edges.map((e) => e.id)).toEqual(["web->nginx:8081", "web->payments.example.com"]);
    const inShop = await get<MapBody>(`/api/v1/map?${range}&namespace=shop`);
    expect(inShop.body.edges.map((e) => e.id)).toEqual(["api->10.0.0.5:5432", "web->api"]);
  });

  it("groups nodes by namespace", async () => {
    const { body } = await get<MapBody>(`/api/v1/map?${range}&groupBy=namespace`);
    expect(body.nodes.map((n) => `${n.id}:${n.kind}`)).toEqual(["(none):namespace", "shop:namespace"]);
    expect(body.edges.find((e) => e.id === "shop->shop")).toMatchObject({ requestCount: 3, errorCount: 1 });
    expect(body.edges.find((e) => e.id === "shop->(none)")).toMatchObject({ requestCount: 2 });
  });

  it("rejects bad filters with a 400 that names the parameter", async () => {
    const tooMany = Array.from({ length: 201 }, (_, i) => `n${i}`).join(",");
    for (const [query, message] of [
      [`hide=${tooMany}`, /hide lists at most 200 names/],
      ["groupBy=pod", /groupBy must be one of service, namespace/],
      ["errorsOnly=maybe", /errorsOnly must be boolean/],
    ] as const) {
      const { status, body } = await get<{ error: { message: string } }>(`/api/v1/map?${range}&${query}`);
      expect(status, query).toBe(400);
      expect(body.error.message).toMatch(message);
    }
  });

  it("treats SQL-looking names as literals", async () => {
    const { status, body } = await get<MapBody>(
      `/api/v1/map?${range}&namespace=${encodeURIComponent("x' OR 1=1 --")}`,
    );
    expect(status).toBe(200);
    expect(body.edges).toEqual([]);
  });
});

describe("GET /api/v1/map-diff", () => {
  interface DiffBody {
    edges: { id: string; status: string; delta: { requestsPerSecond: number } | null }[];
    newNodes: string[];
    vanishedNodes: string[];
  }

  it("reports new, vanished and changed edges between two ranges", async () => {
    const { status, body } = await get<DiffBody>(
      `/api/v1/map-diff?from=${M - 15 * 60_000}&to=${M + 5 * 60_000}&${baselineRange}`,
    );
    expect(status).toBe(200);
    const byId = Object.fromEntries(body.edges.map((e) => [e.id, e.status]));
    expect(byId).toMatchObject({
      "api->legacy": "vanished",
      "web->api": "changed",
      "web->nginx:8081": "new",
    });
    expect(body.vanishedNodes).toEqual(["legacy"]);
    expect(body.newNodes).toContain("payments.example.com");
    const webToApi = body.edges.find((e) => e.id === "web->api");
    expect(webToApi?.delta?.requestsPerSecond).toBeGreaterThan(0);
  });

  it("defaults the baseline to the range just before, and checks it", async () => {
    const ok = await get<{ baselineFrom: string; baselineTo: string }>(
      `/api/v1/map-diff?from=${M}&to=${M + 60_000}`,
    );
    expect(ok.body).toMatchObject({
      baselineFrom: new Date(M - 60_000).toISOString(),
      baselineTo: new Date(M).toISOString(),
    });
    const bad = await get<{ error: { message: string } }>(`/api/v1/map-diff?${range}&baselineFrom=soon`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^baseline: from must be/);
  });
});

describe("GET /api/v1/red", () => {
  interface RedBody {
    scope: { kind: string };
    stepSeconds: number;
    observedFrom: string;
    points: { time: string; requests: number; errors: number; p50Ms: number; requestsPerSecond: number }[];
  }

  it("gives a service's series from its own (server) side, one point per step, zeros where idle", async () => {
    const { status, body } = await get<RedBody>(`/api/v1/red?service=api&${range}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ scope: { kind: "service" }, stepSeconds: 60, observedFrom: "server" });
    expect(body.points).toHaveLength(6);
    expect(body.points.map((p) => p.requests)).toEqual([0, 3, 0, 0, 0, 0]);
    expect(body.points[1]).toMatchObject({
      time: new Date(M).toISOString(),
      errors: 0,
      p50Ms: reported(8),
      requestsPerSecond: 0.05,
    });
  });

  it("gives an edge's series from the client side, and an endpoint's by its target template", async () => {
    const edge = await get<RedBody>(`/api/v1/red?client=web&server=api&${range}`);
    expect(edge.body.observedFrom).toBe("client");
    expect(edge.body.points[1]).toMatchObject({ requests: 3, errors: 1, p50Ms: reported(10) });
    const endpoint = await get<RedBody>(
      `/api/v1/red?service=api&operation=GET&target=${encodeURIComponent("/users/{id}")}&${range}`,
    );
    expect(endpoint.body.scope.kind).toBe("endpoint");
    expect(endpoint.body.points[1]).toMatchObject({ requests: 3 });
  });

  it("picks a coarser step for long ranges and bounds the points", async () => {
    const hour = Math.floor(M / 3_600_000) * 3_600_000;
    const day = await get<RedBody>(`/api/v1/red?service=api&from=${hour - 86_400_000}&to=${hour}`);
    expect(day.body.stepSeconds).toBe(900);
    expect(day.body.points).toHaveLength(96);
    const month = await get<RedBody>(`/api/v1/red?service=api&from=${M - 31 * 86_400_000}&to=${M}`);
    expect(month.body.points.length).toBeLessThanOrEqual(500);
  });

  it.each([
    ["", /service is required/],
    ["client=web", /an edge needs both client and server/],
    ["service=api&operation=GET", /an endpoint needs service, operation and target/],
    ["service=api&step=90", /step must be a whole number of minutes/],
    ["service=api&step=30", /step must be >= 60/],
    [`service=api&step=60&from=${M - 31 * 86_400_000}&to=${M}`, /more than 500 points/],
  ])("rejects %s with a 400", async (query, message) => {
    const { status, body } = await get<{ error: { message: string } }>(`/api/v1/red?${query}`);
    expect(status).toBe(400);
    expect(body.error.message).toMatch(message);
  });
});

describe("GET /api/v1/endpoints", () => {
  interface EndpointsBody {
    endpoints: {
      service: string;
      operation: string;
      target: string;
      requestCount: number;
      errorCount: number;
      observedFrom: string;
    }[];
  }

  it("lists endpoints by target template, server side first, sorted and limited", async () => {
    const { status, body } = await get<EndpointsBody>(`/api/v1/endpoints?${range}&service=api`);
    expect(status).toBe(200);
    expect(body.endpoints).toEqual([
      expect.objectContaining({
        service: "api",
        operation: "GET",
        target: "/users/{id}",
        requestCount: 3,
        errorCount: 0,
        observedFrom: "server",
      }),
    ]);
    const all = await get<EndpointsBody>(`/api/v1/endpoints?${range}&sort=requests&limit=2`);
    expect(all.body.endpoints.map((e) => `${e.service} ${e.target} ${e.requestCount}`)).toEqual([
      "api /users/{id} 3",
      "10.0.0.5:5432 orders 2",
    ]);
    const bad = await get<{ error: { message: string } }>(`/api/v1/endpoints?sort=slowest`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/sort must be one of requests, errors, p99/);
  });
});

describe("GET /api/v1/flamegraph", () => {
  interface FlameBody {
    names: string[];
    levels: number[];
    values: number[];
    selfs: number[];
    total: number;
  }

  beforeAll(async () => {
    const seen = new Date(M).toISOString().slice(0, 19).replace("T", " ");
    await storage.insertRows("profile_stacks", [
      { stack_hash: "1", frames: ["main", "handle", "parse"], last_seen: seen },
      { stack_hash: "2", frames: ["main", "handle", "render"], last_seen: seen },
      { stack_hash: "3", frames: ["main", "gc"], last_seen: seen },
    ]);
    // pid 100 runs in pod api-7d9f, pid 200 in api-5c2b (their containers' ids below).
    const sample = (stack: string, samples: number, pid = 100) => ({
      time: seen,
      agent_id: "agent-1",
      service: "api",
      pid,
      process: "node",
      container_id: pid === 100 ? `aa11${"0".repeat(60)}` : `bb22${"0".repeat(60)}`,
      pod: pid === 100 ? "api-7d9f" : "api-5c2b",
      stack_hash: stack,
      samples,
    });
    await storage.insertRows("profile_samples", [
      sample("1", 5),
      sample("2", 3),
      sample("3", 2),
      sample("1", 4, 200),
    ]);
  });

  it("builds the tree of a service's stacks in depth-first order", async () => {
    const { status, body } = await get<FlameBody>(`/api/v1/flamegraph?service=api&${range}`);
    expect(status).toBe(200);
    expect(body.total).toBe(14);
    expect(
      body.names.map(
        (name, i) => `${"  ".repeat(body.levels[i] ?? 0)}${name} ${body.values[i]}/${body.selfs[i]}`,
      ),
    ).toEqual([
      "total 14/0",
      "  main 14/0",
      "    gc 2/2",
      "    handle 12/0",
      "      parse 9/9",
      "      render 3/3",
    ]);
  });

  it("narrows to a pid, and requires a scope", async () => {
    const { body } = await get<FlameBody>(`/api/v1/flamegraph?service=api&pid=200&${range}`);
    expect(body.total).toBe(4);
    const bad = await get<{ error: { message: string } }>(`/api/v1/flamegraph?${range}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      "a scope is required: service, process, pid, namespace, pod, container or node",
    );
  });

  it("narrows to a pod, or to a container by its id or the id's first 12 digits", async () => {
    expect((await get<FlameBody>(`/api/v1/flamegraph?pod=api-5c2b&${range}`)).body.total).toBe(4);
    expect((await get<FlameBody>(`/api/v1/flamegraph?pod=api-7d9f&${range}`)).body.total).toBe(10);
    const short = `aa11${"0".repeat(8)}`;
    expect((await get<FlameBody>(`/api/v1/flamegraph?container=${short}&${range}`)).body.total).toBe(10);
    const whole = `bb22${"0".repeat(60)}`;
    expect((await get<FlameBody>(`/api/v1/flamegraph?container=${whole}&${range}`)).body.total).toBe(4);
    // Not an id: refused, never read as a pattern.
    expect((await get(`/api/v1/flamegraph?container=aa11%25&${range}`)).status).toBe(400);
  });

  const indented = (body: FlameBody & { baseline?: { values: number[]; total: number } }) =>
    body.names.map(
      (name, i) =>
        `${"  ".repeat(body.levels[i] ?? 0)}${name} ${body.values[i]}${body.baseline ? `|${body.baseline.values[i]}` : ""}`,
    );

  it("splits one graph by process and node under synthetic root frames", async () => {
    const { body } = await get<FlameBody>(`/api/v1/flamegraph?node=agent-1&splitBy=node,process&${range}`);
    expect(indented(body).slice(0, 4)).toEqual([
      "total 14",
      "  [node] agent-1 14",
      "    [process] node 100 10",
      "      main 10",
    ]);
    expect(body.names).toContain("[process] node 200");
    const twice = await get<{ error: { message: string } }>(
      `/api/v1/flamegraph?service=api&splitBy=node,node&${range}`,
    );
    expect(twice.body.error.message).toBe("splitBy names a dimension twice");
    expect((await get(`/api/v1/flamegraph?service=api&splitBy=container&${range}`)).status).toBe(400);
  });

  it("splits a service's graph by pod", async () => {
    const { body } = await get<FlameBody>(`/api/v1/flamegraph?service=api&splitBy=pod&${range}`);
    expect(indented(body).filter((line) => line.includes("[pod]"))).toEqual([
      "  [pod] api-5c2b 4",
      "  [pod] api-7d9f 10",
    ]);
  });

  it("diffs against a baseline range on one tree, each range with its own total", async () => {
    const later = new Date(M + 3_600_000).toISOString().slice(0, 19).replace("T", " ");
    await storage.insertRows("profile_samples", [
      {
        time: later,
        agent_id: "agent-1",
        service: "api",
        pid: 100,
        process: "node",
        stack_hash: "2",
        samples: 30,
      },
      {
        time: later,
        agent_id: "agent-1",
        service: "api",
        pid: 100,
        process: "node",
        stack_hash: "3",
        samples: 10,
      },
    ]);
    const now = `from=${M + 3_600_000 - 1000}&to=${M + 3_600_000 + 60_000}`;
    const baseline = `baselineFrom=${M - 1000}&baselineTo=${M + 60_000}`;
    const { status, body } = await get<FlameBody & { baseline: { total: number; values: number[] } }>(
      `/api/v1/flamegraph?service=api&${now}&${baseline}`,
    );
    expect(status).toBe(200);
    expect([body.total, body.baseline.total]).toEqual([40, 14]);
    // parse vanished (9 -> 0), render grew (3 -> 30): both on the same rows.
    expect(indented(body)).toEqual([
      "total 40|14",
      "  main 40|14",
      "    gc 10|2",
      "    handle 30|12",
      "      parse 0|9",
      "      render 30|3",
    ]);
    const half = await get(`/api/v1/flamegraph?service=api&${now}&baselineFrom=${M}`);
    expect(half.status).toBe(400);
  });
});
