// The latency heatmap from metric series: every request in its duration row,
// a call seen at both ends counted once, bad parameters refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgeAndEndpointSeries, metricSeries } from "../../../../fixtures/metric-series.js";
import {
  type CollectorUnderTest,
  startCollectorUnderTest,
} from "../../../../http/fixtures/running-collector.js";

interface Heatmap {
  observedFrom: string;
  rows: { fromMs: number; toMs: number }[];
  columns: { time: string; requests: number; errors: number; counts: number[] }[];
}

const startMs = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;
const from = new Date(startMs - 60_000).toISOString();
const to = new Date(startMs + 120_000).toISOString();
const web = { service: "web", ip: "10.6.0.1", port: 41000 };
const api = { service: "api", ip: "10.6.0.2", port: 8080 };
let t: CollectorUnderTest;

/** Requests per row, keyed by the row's lower bound, over the whole range. */
function byRow(heatmap: Heatmap): Record<string, number> {
  const out: Record<string, number> = {};
  heatmap.rows.forEach((row, i) => {
    const total = heatmap.columns.reduce((sum, column) => sum + (column.counts[i] ?? 0), 0);
    if (total > 0) out[String(row.fromMs)] = total;
  });
  return out;
}

beforeAll(async () => {
  t = await startCollectorUnderTest();
  const durationsMs = [0.09, 1.5, 1.5, 5, 300];
  const metrics = [
    // web -> api, seen from both ends: the same five requests twice.
    ...edgeAndEndpointSeries({ side: "client", startMs, client: web, server: api, durationsMs, errors: 1 }),
    ...edgeAndEndpointSeries({ side: "server", startMs, client: web, server: api, durationsMs, errors: 1 }),
    // api -> an external address, seen by its client only.
    metricSeries({
      kind: "edge",
      side: "client",
      startMs,
      client: api,
      server: { ip: "203.0.113.9", port: 443 },
      durationsMs: [20, 20],
    }),
  ];
  expect(await t.ingest.send({ agentId: "node-h", requests: [], metrics })).toMatchObject({ ok: true });
});

afterAll(() => t?.close());

describe("GET /api/v1/heatmap", () => {
  it("puts a service's requests in their duration rows, from its own server side", async () => {
    const { status, body } = await t.get<Heatmap>(`/api/v1/heatmap?service=api&from=${from}&to=${to}`);
    expect(status).toBe(200);
    expect(body.observedFrom).toBe("server");
    expect(body.rows[0]).toEqual({ fromMs: 0.0625, toMs: 0.125 });
    expect(byRow(body)).toEqual({ "0.0625": 1, "1": 2, "4": 1, "256": 1 });
    expect(body.columns.reduce((sum, c) => sum + c.requests, 0)).toBe(5);
    expect(body.columns.reduce((sum, c) => sum + c.errors, 0)).toBe(1);
  });

  it("counts every call in the cluster once without a scope", async () => {
    const { body } = await t.get<Heatmap>(`/api/v1/heatmap?from=${from}&to=${to}`);
    expect(body.observedFrom).toBe("edges");
    expect(byRow(body)).toEqual({ "0.0625": 1, "1": 2, "4": 1, "16": 2, "256": 1 });
  });

  it("refuses a half-given edge and a bad step", async () => {
    expect((await t.get(`/api/v1/heatmap?client=web&from=${from}&to=${to}`)).status).toBe(400);
    for (const step of ["30", "1e309", "x"])
      expect((await t.get(`/api/v1/heatmap?service=api&step=${step}`)).status).toBe(400);
  });
});
