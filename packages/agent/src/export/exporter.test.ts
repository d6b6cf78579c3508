import {
  AgentInfoSchema,
  create,
  MetricSeriesSchema,
  RequestRecordSchema,
  SeriesKind,
} from "@periscope/proto";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeCollector as startCollector } from "../testing/fake-collector.js";
import { Exporter } from "./exporter.js";

const record = (target: string) =>
  create(RequestRecordSchema, { protocol: "http", operation: "GET", target });
const series = (target: string) =>
  create(MetricSeriesSchema, { kind: SeriesKind.ENDPOINT, protocol: "http", target, count: 1n });
const agentInfo = () => create(AgentInfoSchema, { hostname: "test-host", version: "0.1.0" });

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("Exporter", () => {
  it("sends full batches at once and the rest on close, with increasing batch_seq", async () => {
    const collector = await startCollector();
    cleanups.push(collector.stop);
    const exporter = new Exporter({
      address: collector.address,
      agentId: "node-a",
      agentInfo,
      maxBatchRecords: 3,
    });
    for (let index = 0; index < 7; index++) exporter.add(record(`/r${index}`));
    await exporter.close();
    // Up to maxInFlightBatches calls run at once, so arrival order may differ from batch order.
    const received = [...collector.received].sort((a, b) => Number(a.batchSeq - b.batchSeq));
    const first = received[0]?.batchSeq ?? 0n;
    expect(received.map((batch) => [batch.batchSeq - first, batch.requests.map((r) => r.target)])).toEqual([
      [0n, ["/r0", "/r1", "/r2"]],
      [1n, ["/r3", "/r4", "/r5"]],
      [2n, ["/r6"]],
    ]);
    // Numbered from the clock: a restarted agent never reuses a recent number.
    expect(first).toBeGreaterThan(1n);
    expect(
      collector.received.every(
        (batch) => batch.agentId === "node-a" && batch.agent?.hostname === "test-host",
      ),
    ).toBe(true);
    expect(exporter.counters).toMatchObject({ batchesSent: 3, recordsSent: 7, recordsDropped: 0 });
  });

  it("sends batches one at a time, in order, with maxInFlightBatches 1", async () => {
    const collector = await startCollector();
    cleanups.push(collector.stop);
    const exporter = new Exporter({
      address: collector.address,
      agentId: "a",
      agentInfo,
      maxBatchRecords: 1,
      maxInFlightBatches: 1,
    });
    for (let index = 0; index < 5; index++) exporter.add(record(`/r${index}`));
    await exporter.close();
    expect(collector.received.map((batch) => batch.requests[0]?.target)).toEqual([
      "/r0",
      "/r1",
      "/r2",
      "/r3",
      "/r4",
    ]);
  });

  it("flushes a partial batch after the flush interval", async () => {
    const collector = await startCollector();
    cleanups.push(collector.stop);
    const exporter = new Exporter({
      address: collector.address,
      agentId: "a",
      agentInfo,
      flushIntervalMs: 50,
    });
    cleanups.push(() => exporter.close());
    exporter.add(record("/timed"));
    await expect.poll(() => collector.received.length, { timeout: 2000 }).toBe(1);
  });

  it("retries a failed batch with the same batch_seq until the collector accepts it", async () => {
    const collector = await startCollector();
    cleanups.push(collector.stop);
    collector.failNext(2);
    const exporter = new Exporter({
      address: collector.address,
      agentId: "a",
      agentInfo,
      flushIntervalMs: 20,
      retryInitialMs: 10,
      retryMaxMs: 20,
    });
    exporter.add(record("/retried"));
    exporter.flush();
    exporter.add(record("/after"));
    exporter.flush();
    await expect.poll(() => collector.received.length, { timeout: 3000 }).toBe(2);
    await exporter.close();
    const seqs = collector.received.map((batch) => batch.batchSeq).sort((a, b) => Number(a - b));
    expect(seqs).toHaveLength(2);
    expect((seqs[1] ?? 0n) - (seqs[0] ?? 0n)).toBe(1n);
    expect(exporter.counters.retries).toBe(2);
  });

  it("bounds the queue while the collector is down and delivers once it comes up", async () => {
    const probe = await startCollector();
    const address = probe.address;
    await probe.stop();
    const exporter = new Exporter({
      address,
      agentId: "a",
      agentInfo,
      maxBatchRecords: 1,
      maxPendingBatches: 2,
      retryInitialMs: 20,
      retryMaxMs: 40,
    });
    for (let index = 0; index < 5; index++) exporter.add(record(`/r${index}`));
    expect(exporter.pendingBatches).toBe(2);
    expect(exporter.counters).toMatchObject({ batchesDropped: 3, recordsDropped: 3 });
    const collector = await startCollector(Number(address.split(":")[1]));
    cleanups.push(collector.stop);
    await expect.poll(() => collector.received.length, { timeout: 5000 }).toBe(2);
    await exporter.close();
    expect(collector.received.map((batch) => batch.requests[0]?.target).sort()).toEqual(["/r0", "/r1"]);
  });

  it("sends an empty heartbeat batch carrying agent info when idle", async () => {
    const collector = await startCollector();
    cleanups.push(collector.stop);
    const exporter = new Exporter({
      address: collector.address,
      agentId: "a",
      agentInfo,
      flushIntervalMs: 20,
      heartbeatIntervalMs: 40,
    });
    cleanups.push(() => exporter.close());
    await expect.poll(() => collector.received.length, { timeout: 2000 }).toBeGreaterThan(0);
    expect(collector.received[0]).toMatchObject({ requests: [], agent: { hostname: "test-host" } });
  });

  it("keeps metric series when records are dropped, and drops the oldest series past their own bound", async () => {
    const probe = await startCollector();
    const address = probe.address;
    await probe.stop();
    const exporter = new Exporter({
      address,
      agentId: "a",
      agentInfo,
      maxBatchRecords: 1,
      maxPendingBatches: 1,
      maxQueuedSeries: 3,
      maxBatchSeries: 2,
      flushIntervalMs: 50,
      retryInitialMs: 20,
      retryMaxMs: 40,
    });
    exporter.addMetrics([series("/s0")]);
    // The first record's batch takes /s0 and is retried; the queue is then full,
    // so the next records are dropped while their series wait.
    for (let index = 0; index < 3; index++) exporter.add(record(`/r${index}`));
    exporter.addMetrics([series("/s1"), series("/s2"), series("/s3"), series("/s4")]);
    expect(exporter.counters).toMatchObject({ recordsDropped: 2, seriesDropped: 1 });
    expect(exporter.queuedMetricSeries).toBe(3);
    const collector = await startCollector(Number(address.split(":")[1]));
    cleanups.push(collector.stop);
    await expect.poll(() => exporter.counters.seriesSent, { timeout: 5000 }).toBe(4);
    await exporter.close();
    const sent = collector.received.flatMap((batch) => batch.metrics.map((s) => s.target)).sort();
    // Retried with its batch (/s0), the rest in later batches of at most two; /s1 was the oldest past the bound.
    expect(sent).toEqual(["/s0", "/s2", "/s3", "/s4"]);
    expect(Math.max(...collector.received.map((batch) => batch.metrics.length))).toBeLessThanOrEqual(2);
    expect(exporter.counters).toMatchObject({ seriesSent: 4, seriesDropped: 1 });
  });

  it("counts series still queued at close as dropped", async () => {
    const probe = await startCollector();
    await probe.stop();
    const exporter = new Exporter({ address: probe.address, agentId: "a", agentInfo, retryInitialMs: 20 });
    exporter.addMetrics([series("/s0"), series("/s1")]);
    await exporter.close(100);
    expect(exporter.counters).toMatchObject({ seriesSent: 0, seriesDropped: 2 });
    exporter.addMetrics([series("/late")]);
    expect(exporter.counters.seriesDropped).toBe(3);
  });
});
