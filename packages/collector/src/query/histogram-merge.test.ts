// Latency histograms merge exactly through storage: series from several
// agents over many intervals, folded by the minute views and again by the
// hourly ones, read back over a range that takes whole hours from the hourly
// table and the ragged ends from the minute table. Counts must be exact, and
// p50/p99 the quantile of every value sent, within the scale's stated bound.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LATENCY_SCALE, LatencyHistogram, relativeErrorBound } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricSeries } from "../fixtures/metric-series.js";
import { toMetricSeriesRow } from "../ingest/metric-series-row.js";
import { applyMigrations, loadMigrations } from "../storage/migrations.js";
import { openStorage, type Storage } from "../storage/storage.js";
import { queryRed } from "./red-query.js";
import { nanosToMillis } from "./rollup-range.js";
import { queryServiceMap } from "./service-map-query.js";

let dataDir: string;
let storage: Storage;

const HOUR = 3_600_000;
const H = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
// 10 minutes before H to 10 minutes after H + 1 h: a whole hour and two ragged ends.
const range = { fromMs: H - 10 * 60_000, toMs: H + HOUR + 10 * 60_000 };
const web = { service: "web", ip: "10.0.0.1", port: 40000 };
const api = { service: "api", ip: "10.0.0.2", port: 8080 };

/** Deterministic log-normal-ish latencies (ms) from 0.05 ms to seconds. */
function latencies(count: number, seed: number): number[] {
  let state = seed;
  const uniform = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return (state + 1) / 2 ** 32;
  };
  return Array.from({ length: count }, () => {
    const z = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return Math.round(5 * Math.exp(1.2 * z) * 1000) / 1000 + 0.05;
  });
}

/** Nearest rank, as quantileOfBuckets defines it, over the raw values. */
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] as number;
}

const sent: number[] = [];
const merged = new LatencyHistogram(LATENCY_SCALE);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "periscope-histogram-"));
  storage = openStorage({ kind: "embedded", dataDir });
  await applyMigrations(storage, await loadMigrations({ retentionDays: 7 }));
  // Three agents (client side), one series per agent every 5 minutes across the range.
  const rows = [];
  for (let agent = 0; agent < 3; agent++) {
    for (let t = range.fromMs; t < range.toMs; t += 5 * 60_000) {
      const durationsMs = latencies(40 + agent * 7, t / 1000 + agent);
      sent.push(...durationsMs);
      const series = metricSeries({
        kind: "edge",
        side: "client",
        startMs: t + agent,
        durationsMs,
        client: web,
        server: api,
      });
      for (const ms of durationsMs) merged.record(Math.round(ms * 1_000_000));
      rows.push(toMetricSeriesRow(`agent-${agent}`, series));
    }
  }
  // One insert per agent: the views fold each block on its own, parts merge later.
  for (let agent = 0; agent < 3; agent++) {
    await storage.insertRows(
      "metric_series",
      rows.filter((row) => row.agent_id === `agent-${agent}`),
    );
  }
  sent.sort((a, b) => a - b);
});

afterAll(async () => {
  await storage?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("latency histograms through storage", () => {
  it("keep counts exact and quantiles within the stated bound, minute and hour tables together", async () => {
    const map = await queryServiceMap(storage, { range });
    const edge = map.edges.find((e) => e.id === "web->api");
    expect(edge?.requestCount).toBe(sent.length);
    const bound = relativeErrorBound(LATENCY_SCALE);
    for (const [q, got] of [
      [0.5, edge?.p50Ms],
      [0.9, edge?.p90Ms],
      [0.99, edge?.p99Ms],
    ] as const) {
      const exact = exactQuantile(sent, q);
      // The bound, plus the API's rounding to the microsecond.
      expect(Math.abs((got ?? 0) - exact), `p${q * 100}`).toBeLessThanOrEqual(exact * bound + 0.0005);
      // And exactly what the contract's quantile gives for the combined histogram.
      expect(got, `p${q * 100} as quantileOfBuckets`).toBe(nanosToMillis(merged.quantile(q)));
    }
  });

  it("store in the hourly table exactly the buckets the minute table holds", async () => {
    const hourStart = Math.floor(H / 1000);
    const read = (table: string, column: string) =>
      storage.select<{ buckets: [number[], string[]]; requests: string }>(
        `SELECT sumMap(latency) AS buckets, sum(requests) AS requests FROM ${table}
         WHERE ${column} >= toDateTime({from:Int64}, 'UTC') AND ${column} < toDateTime({to:Int64}, 'UTC')`,
        { from: hourStart, to: hourStart + 3600 },
      );
    const [minutes] = await read("metric_edges_1m", "minute");
    const [hours] = await read("metric_edges_1h", "hour");
    expect(hours).toEqual(minutes);
    expect(Number(minutes?.requests)).toBeGreaterThan(0);
  });

  it("give a RED series whose points add up to the map's count", async () => {
    const red = await queryRed(storage, { kind: "edge", client: "web", server: "api" }, range);
    expect(red.points.reduce((sum, point) => sum + point.requests, 0)).toBe(sent.length);
  });
});
