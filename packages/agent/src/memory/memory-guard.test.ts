// Load shedding under a memory limit, with a fake RSS and a real Exporter
// whose collector is down, so batches pile up in memory as in an outage.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentInfoSchema, create, MetricSeriesSchema, RequestRecordSchema } from "@periscope/proto";
import { afterEach, describe, expect, it } from "vitest";
import { Exporter } from "../export/exporter.js";
import type { ExporterOptions } from "../export/exporter-options.js";
import { startFakeCollector } from "../testing/fake-collector.js";
import { boundsForLimit, DEFAULT_BUFFER_BOUNDS } from "./memory-budget.js";
import { MemoryGuard } from "./memory-guard.js";

const MiB = 2 ** 20;
const record = (target: string) =>
  create(RequestRecordSchema, { protocol: "http", operation: "GET", target });
const series = (target: string) => create(MetricSeriesSchema, { protocol: "http", target, count: 1n });

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function downCollectorExporter(extra: Partial<ExporterOptions> = {}): Promise<Exporter> {
  const collector = await startFakeCollector();
  cleanups.push(collector.stop);
  collector.refuse(() => ({ code: 14, details: "storage is unavailable; retry the batch" }));
  const exporter = new Exporter({
    address: collector.address,
    agentId: "a",
    agentInfo: () => create(AgentInfoSchema, { hostname: "test-host" }),
    maxBatchRecords: 2,
    maxPendingBatches: 8,
    maxInFlightBatches: 1,
    retryInitialMs: 60_000,
    retryMaxMs: 60_000,
    log: () => {},
    ...extra,
  });
  cleanups.push(() => exporter.close(0));
  return exporter;
}

/** What main.ts does with each record the parsers emit: series always, the record if memory allows. */
function emit(exporter: Exporter, guard: MemoryGuard, index: number): void {
  exporter.addMetrics([series(`/r${index}`)]);
  if (guard.admitRecord()) exporter.add(record(`/r${index}`));
}

describe("MemoryGuard", () => {
  it("sheds records and waiting batches past the high-water mark, counts them, logs once, and recovers", async () => {
    const exporter = await downCollectorExporter();
    let rss = 100 * MiB;
    const logs: string[] = [];
    const guard = new MemoryGuard({
      limitBytes: 200 * MiB,
      shedder: exporter,
      readRss: () => rss,
      log: (line) => logs.push(line),
    });
    for (let index = 0; index < 16; index++) emit(exporter, guard, index);
    guard.check();
    expect(guard.state()).toMatchObject({ shedding: false, rssBytes: 100 * MiB, highWaterBytes: 170 * MiB });
    expect(exporter.backlog().pendingBatches).toBe(8);

    rss = 175 * MiB; // past 85 % of 200 MiB
    guard.check();
    expect(guard.shedding).toBe(true);
    // A quarter of the bound stays; the 6 other batches (12 records) are dropped, as a full queue drops them.
    expect(exporter.backlog().pendingBatches).toBe(2);
    expect(exporter.counters).toMatchObject({ batchesDropped: 6, recordsDropped: 12, seriesDropped: 0 });
    for (let index = 16; index < 26; index++) emit(exporter, guard, index);
    expect(guard.counters.recordsShed).toBe(10);
    // Series are never shed: those of the dropped batches wait for a later one, with the new ones.
    expect(exporter.queuedMetricSeries).toBe(6 * 2 + 10);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/RSS 175 MiB passed 170 MiB \(85 % of the 200 MiB limit\): shedding load/);

    rss = 150 * MiB; // under the high-water mark, above the low one: still shedding
    guard.check();
    expect(guard.shedding).toBe(true);
    expect(guard.admitRecord()).toBe(false);

    rss = 120 * MiB; // under 70 %
    guard.check();
    expect(guard.shedding).toBe(false);
    emit(exporter, guard, 99);
    expect(guard.counters.recordsShed).toBe(11);

    rss = 190 * MiB; // a second episode: counted, not logged again
    guard.check();
    expect(guard.state()).toMatchObject({ shedding: true, shedEpisodes: 2, recordsShed: 11 });
    expect(logs).toHaveLength(1);
  });

  it("with a spool, shed batches go to disk and nothing is dropped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "periscope-shed-spool-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const exporter = await downCollectorExporter({ spoolDir: dir });
    let rss = 100 * MiB;
    const guard = new MemoryGuard({
      limitBytes: 200 * MiB,
      shedder: exporter,
      readRss: () => rss,
      log: () => {},
    });
    for (let index = 0; index < 16; index++) emit(exporter, guard, index);
    expect(exporter.backlog()).toMatchObject({ pendingBatches: 8, spoolBatches: 0 });
    rss = 180 * MiB;
    guard.check();
    expect(exporter.backlog()).toMatchObject({ pendingBatches: 2, spoolBatches: 6 });
    expect(exporter.counters).toMatchObject({ batchesDropped: 0, recordsDropped: 0 });
    rss = 100 * MiB;
    guard.check();
    expect(guard.shedding).toBe(false);
  });

  it("refuses marks out of order", () => {
    expect(
      () =>
        new MemoryGuard({ limitBytes: MiB, highWater: 0.6, lowWater: 0.7, shedder: { setMemoryShort() {} } }),
    ).toThrow(/lowWater \(0.7\) < highWater \(0.6\)/);
  });
});

describe("boundsForLimit", () => {
  it("keeps the defaults without a limit and shrinks the buffers to fit one", () => {
    expect(boundsForLimit(undefined)).toEqual(DEFAULT_BUFFER_BOUNDS);
    expect(boundsForLimit(8 * 2 ** 30)).toEqual(DEFAULT_BUFFER_BOUNDS);
    // 512 MiB: half for buffers less the 96 MiB baseline = 160 MiB.
    expect(boundsForLimit(512 * MiB)).toEqual({
      maxPendingBatches: 42,
      maxQueuedSeries: 32_768,
      maxConnections: 8_192,
    });
    expect(boundsForLimit(128 * MiB)).toEqual({
      maxPendingBatches: 4,
      maxQueuedSeries: 1_000,
      maxConnections: 256,
    });
  });
});
