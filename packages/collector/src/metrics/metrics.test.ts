// GET /metrics on a real collector after real ingest and API traffic.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CollectorUnderTest,
  call,
  startCollectorUnderTest,
} from "../http/fixtures/running-collector.js";

let t: CollectorUnderTest;
let text: string;

/** The value of one sample line, e.g. sample('periscope_ingest_records_total'). */
function sample(series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  t = await startCollectorUnderTest();
  const requests = [1, 2, 3].map((i) =>
    call({ side: "client", timeNs: BigInt(Date.now()) * 1_000_000n + BigInt(i), target: `/m/${i}` }),
  );
  expect(await t.ingest.send({ agentId: "node-m", batchSeq: 1n, requests })).toMatchObject({ ok: true });
  const backlog = {
    pendingBatches: 2,
    inFlightBatches: 1,
    spoolBatches: 5,
    spoolBytes: 9000n,
    spoolOldestAgeMs: 61_500n,
  };
  expect(await t.ingest.send({ agentId: "node-m", batchSeq: 1n, requests, backlog })).toMatchObject({
    ok: true,
  });
  expect(await t.ingest.send({ agentId: "", requests })).toMatchObject({ ok: false });
  // A burst of small batches from ten agents, within the insert linger: few inserts.
  const burst = await Promise.all(
    Array.from({ length: 10 }, (_, agent) =>
      t.ingest.send({ agentId: `node-burst-${agent}`, batchSeq: 1n, requests }),
    ),
  );
  expect(burst.every((outcome) => outcome.ok)).toBe(true);
  expect((await t.get("/api/v1/requests?limit=5")).status).toBe(200);
  expect((await t.get("/api/v1/requests?limit=0")).status).toBe(400);
  const response = await fetch(`${t.collector.httpUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  text = await response.text();
});

afterAll(() => t?.close());

describe("GET /metrics", () => {
  it("counts ingested records and batches by outcome", () => {
    expect(sample("periscope_ingest_records_total")).toBe(33);
    expect(sample('periscope_ingest_batches_total{outcome="stored"}')).toBe(11);
    expect(sample('periscope_ingest_batches_total{outcome="duplicate"}')).toBe(1);
    expect(sample('periscope_ingest_batches_total{outcome="invalid"}')).toBe(1);
  });

  it("counts inserts and rows per table: a burst of batches became few inserts", () => {
    expect(sample('periscope_ingest_insert_rows_total{table="requests"}')).toBe(33);
    const inserts = sample('periscope_ingest_insert_statements_total{table="requests"}') ?? 0;
    // The first batch, then the burst in one insert (two if the burst straddled the linger).
    expect(inserts).toBeGreaterThanOrEqual(2);
    expect(inserts).toBeLessThanOrEqual(3);
  });

  it("shows the engine's parts written, merges and merge time", () => {
    // Each insert into requests writes a part to it and to its two views' targets.
    expect(sample("periscope_storage_parts_written_total")).toBeGreaterThanOrEqual(6);
    expect(sample("periscope_storage_merges_total")).toBeGreaterThanOrEqual(0);
    expect(sample("periscope_storage_parts_merged_total")).toBeGreaterThanOrEqual(0);
    expect(sample("periscope_storage_merge_seconds_total")).toBeGreaterThanOrEqual(0);
  });

  it("has a batch latency histogram and the ingest queue depth", () => {
    expect(sample('periscope_ingest_batch_duration_seconds_count{outcome="stored"}')).toBe(11);
    expect(sample('periscope_ingest_batch_duration_seconds_bucket{le="+Inf",outcome="stored"}')).toBe(11);
    expect(sample("periscope_ingest_batches_in_flight")).toBe(0);
    expect(sample('periscope_ingest_queue_depth{unit="batches"}')).toBe(0);
    expect(sample("periscope_storage_down")).toBe(0);
  });

  it("exposes agents' drop counters and the live feed's losses", () => {
    expect(sample('periscope_agent_drops{agent_id="node-m",counter="ringbufFull"}')).toBe(0);
    expect(sample('periscope_live_drops_total{kind="slow_client"}')).toBe(0);
    expect(sample('periscope_agent_backlog_batches{agent_id="node-m",where="spool"}')).toBe(5);
    expect(sample('periscope_agent_backlog_batches{agent_id="node-m",where="in_flight"}')).toBe(1);
    expect(sample('periscope_agent_backlog_oldest_age_seconds{agent_id="node-m",where="spool"}')).toBe(61.5);
    expect(sample('periscope_agent_spool_bytes{agent_id="node-m"}')).toBe(9000);
    expect(sample("periscope_live_clients")).toBe(0);
  });

  it("lists each agent's backlog (memory and disk spool) on the agents page", async () => {
    const { body } = await t.get<{ agents: { agentId: string; backlog?: object }[] }>("/api/v1/agents");
    expect(body.agents.find((agent) => agent.agentId === "node-m")?.backlog).toEqual({
      pendingBatches: 2,
      inFlightBatches: 1,
      oldestPendingAgeMs: 0,
      spoolBatches: 5,
      spoolBytes: 9000,
      spoolOldestAgeMs: 61_500,
    });
  });

  it("times API queries per route template and status", () => {
    const series = (status: string) =>
      `periscope_http_request_duration_seconds_count{method="GET",route="/api/v1/requests",status_code="${status}"}`;
    expect(sample(series("200"))).toBe(1);
    expect(sample(series("400"))).toBe(1);
    expect(text).toContain("periscope_collector_process_cpu_seconds_total");
  });
});
