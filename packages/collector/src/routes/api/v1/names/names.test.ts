// GET /api/v1/names over the embedded engine: what each picker offers, by
// prefix, most requested first, and clear 400s for bad parameters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricSeries } from "../../../../fixtures/metric-series.js";
import {
  type CollectorUnderTest,
  call,
  startCollectorUnderTest,
} from "../../../../http/fixtures/running-collector.js";

type Names = { kind: string; names: { name: string; requests: number }[] };
type ApiError = { error: { code: string; message: string } };

const nowMs = Date.now();
const from = nowMs - 10 * 60_000;
const to = nowMs + 1000;
const range = `from=${from}&to=${to}`;

let t: CollectorUnderTest;

beforeAll(async () => {
  t = await startCollectorUnderTest();
  const web = { service: "web", ip: "10.5.0.1", port: 40000 };
  const payments = { service: "payments", ip: "10.5.0.2", port: 80 };
  const pricing = { service: "pricing", ip: "10.5.0.3", port: 80 };
  const startMs = nowMs - 60_000;
  const durations = (count: number) => Array.from({ length: count }, () => 1);
  // What web's agent folded its calls into: 3 POST and 1 GET to payments (the
  // POSTs between namespaces), a PUT and a redis GET to pricing.
  const edge = (server: typeof web, count: number, protocol = "http", namespaced = false) =>
    metricSeries({
      kind: "edge",
      side: "client",
      protocol,
      startMs,
      durationsMs: durations(count),
      client: web,
      server,
      ...(namespaced ? { clientNamespace: "shop", serverNamespace: "billing" } : {}),
    });
  const endpoint = (server: typeof web, operation: string, count: number, protocol = "http") =>
    metricSeries({
      kind: "endpoint",
      side: "client",
      protocol,
      startMs,
      durationsMs: durations(count),
      server,
      operation,
    });
  const metrics = [
    edge(payments, 3, "http", true),
    edge(payments, 1),
    edge(pricing, 1),
    edge(pricing, 1, "redis"),
    endpoint(payments, "POST", 3),
    endpoint(payments, "GET", 1),
    endpoint(pricing, "PUT", 1),
    endpoint(pricing, "GET", 1, "redis"),
  ];
  // One kept record: names come from the series, which count every request.
  const requests = [
    call({ side: "client", timeNs: BigInt(startMs) * 1_000_000n, client: web, server: payments }),
  ];
  expect(await t.ingest.send({ agentId: "node-a", requests, metrics })).toMatchObject({ ok: true });
});

afterAll(() => t?.close());

const names = (query: string) => t.get<Names>(`/api/v1/names?${query}&${range}`);

describe("GET /api/v1/names", () => {
  it("lists services seen at either end, most requested first", async () => {
    const { status, body } = await names("kind=service");
    expect(status).toBe(200);
    expect(body).toEqual({
      kind: "service",
      names: [
        { name: "web", requests: 6 },
        { name: "payments", requests: 4 },
        { name: "pricing", requests: 2 },
      ],
    });
  });

  it("narrows by prefix and limit", async () => {
    expect((await names("kind=service&prefix=p")).body.names.map((n) => n.name)).toEqual([
      "payments",
      "pricing",
    ]);
    expect((await names("kind=service&prefix=p&limit=1")).body.names.map((n) => n.name)).toEqual([
      "payments",
    ]);
    expect((await names("kind=service&prefix=nothing")).body.names).toEqual([]);
  });

  it("lists operations, for all services or the one asked", async () => {
    expect((await names("kind=operation")).body.names).toEqual([
      { name: "POST", requests: 3 },
      { name: "GET", requests: 2 },
      { name: "PUT", requests: 1 },
    ]);
    expect((await names("kind=operation&service=pricing")).body.names.map((n) => n.name)).toEqual([
      "GET",
      "PUT",
    ]);
  });

  it("lists namespaces and protocols", async () => {
    expect((await names("kind=namespace")).body.names).toEqual([
      { name: "billing", requests: 3 },
      { name: "shop", requests: 3 },
    ]);
    expect((await names("kind=protocol")).body.names).toEqual([
      { name: "http", requests: 5 },
      { name: "redis", requests: 1 },
    ]);
    expect((await names("kind=protocol&prefix=re")).body.names.map((n) => n.name)).toEqual(["redis"]);
  });

  it("lists nothing for a range on other days", async () => {
    const dayMs = 86_400_000;
    const { body } = await t.get<Names>(
      `/api/v1/names?kind=service&from=${from - 3 * dayMs}&to=${from - 2 * dayMs}`,
    );
    expect(body.names).toEqual([]);
  });

  it("takes the prefix as data, never as SQL", async () => {
    const hostile = encodeURIComponent("p') OR 1=1 --");
    const { status, body } = await names(`kind=service&prefix=${hostile}`);
    expect(status).toBe(200);
    expect(body.names).toEqual([]);
  });

  it("answers 400 for a missing or unknown kind and a bad limit", async () => {
    const missing = await t.get<ApiError>(`/api/v1/names?${range}`);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/kind/);
    const unknown = await t.get<ApiError>(`/api/v1/names?kind=pod&${range}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe("kind must be one of service, operation, namespace, protocol");
    for (const limit of ["0", "1001", "ten", ""]) {
      const bad = await t.get<ApiError>(`/api/v1/names?kind=service&limit=${limit}&${range}`);
      expect(bad.status, `limit=${limit}`).toBe(400);
      expect(bad.body.error.code).toBe("bad_request");
    }
  });
});
