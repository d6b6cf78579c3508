// The exporter's disk spool: what the memory queue cannot hold, and what is
// unacknowledged at close, is sent by the next run, oldest first, with its batch_seq.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentInfoSchema, create, RequestRecordSchema } from "@periscope/proto";
import { afterEach, describe, expect, it } from "vitest";
import { until } from "../testing/collector-process.js";
import { startFakeCollector } from "../testing/fake-collector.js";
import { Exporter } from "./exporter.js";
import type { ExporterOptions } from "./exporter-options.js";

const record = (target: string) =>
  create(RequestRecordSchema, { protocol: "http", operation: "GET", target });
const agentInfo = () => create(AgentInfoSchema, { hostname: "test-host" });

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function spoolDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "periscope-exporter-spool-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const options = (address: string, dir: string, extra: Partial<ExporterOptions> = {}): ExporterOptions => ({
  address,
  agentId: "a",
  agentInfo,
  maxBatchRecords: 2,
  maxPendingBatches: 2,
  maxInFlightBatches: 1,
  retryInitialMs: 10,
  retryMaxMs: 20,
  spoolDir: dir,
  log: () => {},
  ...extra,
});

describe("Exporter with a disk spool", () => {
  it("spools past the memory bound and at close; the next run sends it all, oldest first, same batch_seq", async () => {
    const down = await startFakeCollector();
    cleanups.push(down.stop);
    down.refuse(() => ({ code: 14, details: "down" })); // UNAVAILABLE, for ever
    const dir = spoolDir();
    const first = new Exporter(options(down.address, dir));
    for (let index = 0; index < 20; index++) first.add(record(`/r${index}`));
    // 10 batches: 2 in memory, 8 spooled (nothing dropped).
    expect(first.backlog()).toMatchObject({ pendingBatches: 2, spoolBatches: 8 });
    expect(first.counters.batchesDropped).toBe(0);
    await first.close(50);
    expect(readdirSync(dir)).toHaveLength(10);
    expect(first.counters).toMatchObject({ recordsDropped: 0, batchesDropped: 0 });

    const up = await startFakeCollector();
    cleanups.push(up.stop);
    const second = new Exporter(options(up.address, dir));
    second.add(record("/after-restart"));
    second.flush();
    await until(() => (up.received.length === 11 ? true : undefined));
    await second.close();
    const targets = up.received.flatMap((batch) => batch.requests.map((r) => r.target));
    expect(targets).toEqual([...Array.from({ length: 20 }, (_, index) => `/r${index}`), "/after-restart"]);
    const seqs = up.received.map((batch) => batch.batchSeq);
    expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
    expect(readdirSync(dir)).toEqual([]);
    expect(second.backlog()).toMatchObject({ spoolBatches: 0, spoolBytes: 0 });
  });

  it("writes nothing while the collector keeps up", async () => {
    const up = await startFakeCollector();
    cleanups.push(up.stop);
    const dir = spoolDir();
    const exporter = new Exporter(options(up.address, dir, { maxInFlightBatches: 4, maxPendingBatches: 64 }));
    // A steady flow the collector keeps up with (a burst beyond memory is spooled, rightly).
    for (let index = 0; index < 200; index++) {
      exporter.add(record(`/r${index}`));
      if (index % 4 === 3) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await exporter.close();
    expect(up.received).toHaveLength(100);
    expect(exporter.spool?.counters.batchesWritten).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("starts with a full spool even when its agentInfo reads the exporter itself, as main.ts's does", async () => {
    const down = await startFakeCollector();
    cleanups.push(down.stop);
    down.refuse(() => ({ code: 14, details: "down" }));
    const dir = spoolDir();
    const first = new Exporter(options(down.address, dir));
    for (let index = 0; index < 6; index++) first.add(record(`/r${index}`));
    await first.close(0);

    const up = await startFakeCollector();
    cleanups.push(up.stop);
    // Sending reads agentInfo(); done inside the constructor, `second` would not exist yet.
    const second: Exporter = new Exporter({
      ...options(up.address, dir),
      agentInfo: () => create(AgentInfoSchema, { hostname: `sent ${second.counters.batchesSent}` }),
    });
    await until(() => (up.received.length === 3 ? true : undefined));
    await second.close();
    expect(up.received.map((batch) => batch.agent?.hostname)).toEqual(["sent 0", "sent 1", "sent 2"]);
  });

  it("drops the oldest spooled batches beyond its bound, counted as dropped records", async () => {
    const down = await startFakeCollector();
    cleanups.push(down.stop);
    down.refuse(() => ({ code: 14, details: "down" }));
    const exporter = new Exporter(options(down.address, spoolDir(), { spoolMaxBytes: 400 }));
    for (let index = 0; index < 40; index++) exporter.add(record(`/r${index}`));
    const { spoolBytes, spoolBatches } = exporter.backlog();
    expect(spoolBytes).toBeLessThanOrEqual(400);
    expect(exporter.spool?.counters.batchesDropped).toBe(18 - spoolBatches);
    expect(exporter.counters.recordsDropped).toBe(2 * (18 - spoolBatches));
    await exporter.close(0);
  });
});
