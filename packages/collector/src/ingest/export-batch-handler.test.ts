import {
  bucketIndex,
  create,
  type ExponentialHistogram,
  ExportRequestSchema,
  LATENCY_SCALE,
} from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { requestRecord } from "../fixtures/ingest-client.js";
import { metricSeries } from "../fixtures/metric-series.js";
import { isTransientStorageError } from "../storage/storage-errors.js";
import { ExportBatchHandler, type RowSink } from "./export-batch-handler.js";
import { IngestStats } from "./ingest-stats.js";

const record = (target = "/") =>
  requestRecord({
    side: "client",
    startMs: Date.now() - 1000,
    durationMs: 1,
    client: { service: "a", ip: "10.0.0.1", port: 1000 },
    server: { service: "b", ip: "10.0.0.2", port: 80 },
    target,
  });

function batch(agentId: string, batchSeq: bigint, count = 3, target = "/") {
  return create(ExportRequestSchema, {
    agentId,
    batchSeq,
    requests: Array.from({ length: count }, () => record(target)),
  });
}

const transient = () => Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
const permanent = () => Object.assign(new Error("Cannot parse input"), { code: "27" });

/** Records every insert; can be held (blocked) or made to fail. */
class RecordingSink implements RowSink {
  inserts: { table: string; rows: readonly object[] }[] = [];
  private waiting: (() => void)[] = [];
  blocked = false;
  failWith: (() => Error) | undefined;
  failWhen: ((rows: readonly object[]) => boolean) | undefined;

  async insertRows(table: string, rows: readonly object[]): Promise<void> {
    if (this.blocked) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.failWith !== undefined) throw this.failWith();
    if (this.failWhen?.(rows)) throw permanent();
    this.inserts.push({ table, rows });
  }

  unblock(): void {
    this.blocked = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  targets(): string[][] {
    return this.inserts.map((insert) => insert.rows.map((row) => (row as { target: string }).target));
  }
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe("ExportBatchHandler", () => {
  it("stores a batch in one insert and counts it", async () => {
    const sink = new RecordingSink();
    const stats = new IngestStats();
    const handler = new ExportBatchHandler(sink, stats, 4);
    expect(await handler.handle(batch("a", 1n, 250))).toEqual({ kind: "stored", accepted: 250 });
    expect(sink.inserts).toHaveLength(1);
    expect(sink.inserts[0]?.table).toBe("requests");
    expect(sink.inserts[0]?.rows).toHaveLength(250);
    expect(stats.counters).toMatchObject({ batchesStored: 1, recordsStored: 250, insertStatements: 1 });
    expect(stats.agentStatuses().map((agent) => agent.agentId)).toEqual(["a"]);
  });

  it("leaves out a malformed metric series with its reason, counts it, and stores the rest of the batch", async () => {
    const sink = new RecordingSink();
    const stats = new IngestStats();
    const handler = new ExportBatchHandler(sink, stats, 4);
    const good = metricSeries({
      kind: "edge",
      side: "client",
      startMs: Date.now() - 5000,
      durationsMs: [1, 2],
      client: { service: "a", ip: "10.0.0.1", port: 1000 },
      server: { service: "b", ip: "10.0.0.2", port: 80 },
    });
    // A finer histogram is stored at the storage scale.
    const fine = {
      ...good,
      latency: {
        ...(good.latency as ExponentialHistogram),
        scale: LATENCY_SCALE + 2,
        offset: bucketIndex(1e6, LATENCY_SCALE + 2),
        bucketCounts: [1n, 0n, 0n, 0n, 1n],
      },
    };
    const request = create(ExportRequestSchema, {
      ...batch("a", 1n, 2),
      metrics: [good, { ...good, protocol: "gopher" }, fine, { ...good, errors: 3n }],
    });
    expect(await handler.handle(request)).toEqual({
      kind: "stored",
      accepted: 2,
      series: {
        accepted: 2,
        rejected: 2,
        rejectedReason:
          'metrics[1]: protocol "gopher" is not known; metrics[3]: errors 3 are more than count 2',
      },
    });
    expect(sink.inserts.map((insert) => `${insert.table} ${insert.rows.length}`)).toEqual([
      "requests 2",
      "metric_series 2",
    ]);
    const stored = sink.inserts[1]?.rows[1] as { latency_buckets: number[]; latency_counts: number[] };
    const first = bucketIndex(1e6, LATENCY_SCALE + 2);
    expect(stored).toMatchObject({
      latency_buckets: [first >> 2, (first + 4) >> 2],
      latency_counts: [1, 1],
    });
    expect(stats.counters).toMatchObject({ recordsStored: 2, seriesStored: 2, seriesRejected: 2 });
    expect(stats.seriesRejectedBy).toMatchObject({
      unknown_protocol: 1,
      errors_above_count: 1,
      histogram_total: 0,
    });
  });

  it("coalesces batches that arrive while an insert runs into the next single insert", async () => {
    const sink = new RecordingSink();
    sink.blocked = true;
    const stats = new IngestStats();
    const handler = new ExportBatchHandler(sink, stats, 1);
    const first = handler.handle(batch("a", 1n, 2, "/first"));
    const rest = ["b", "c", "d", "e"].map((agent) => handler.handle(batch(agent, 1n, 2, `/${agent}`)));
    sink.unblock();
    expect(await first).toEqual({ kind: "stored", accepted: 2 });
    expect(await Promise.all(rest)).toEqual(rest.map(() => ({ kind: "stored", accepted: 2 })));
    expect(sink.targets()).toEqual([
      ["/first", "/first"],
      ["/b", "/b", "/c", "/c", "/d", "/d", "/e", "/e"],
    ]);
    expect(stats.counters).toMatchObject({ batchesStored: 5, recordsStored: 10, insertStatements: 2 });
  });

  it("refuses batches beyond the queue bound and counts them, then recovers", async () => {
    const sink = new RecordingSink();
    sink.blocked = true;
    const stats = new IngestStats();
    const handler = new ExportBatchHandler(sink, stats, 1, undefined, { maxQueuedRows: 5 });
    const first = handler.handle(batch("a", 1n, 3));
    const second = await handler.handle(batch("b", 1n, 3));
    expect(second).toMatchObject({ kind: "busy", reason: expect.stringMatching(/queue is full/) });
    expect(stats.counters).toMatchObject({ batchesRefusedBusy: 1, batchesRefusedBufferFull: 1 });
    sink.unblock();
    expect(await first).toEqual({ kind: "stored", accepted: 3 });
    expect(await handler.handle(batch("b", 1n, 3))).toEqual({ kind: "stored", accepted: 3 });
  });

  it("holds batches while storage is down without answering them, and stores each once when it returns", async () => {
    const sink = new RecordingSink();
    sink.failWith = transient;
    const stats = new IngestStats();
    const handler = new ExportBatchHandler(sink, stats, 2, undefined, {
      retryDelayMs: 5,
      maxRetryDelayMs: 20,
    });
    let answered = 0;
    const count = <T>(promise: Promise<T>) => promise.finally(() => answered++);
    const first = count(handler.handle(batch("a", 1n, 2, "/a1")));
    const second = count(handler.handle(batch("a", 2n, 2, "/a2")));
    // The agent's retry of a held batch (its first call timed out) waits with it.
    const retry = count(handler.handle(batch("a", 2n, 2, "/a2")));
    await until(() => stats.counters.insertRetries >= 3);
    // Nothing is acknowledged while it is only in memory: a crash now must not lose it.
    expect(answered).toBe(0);
    expect(handler.queueState).toMatchObject({ batches: 2, rows: 4, storageDown: true });
    sink.failWith = undefined;
    expect(await first).toEqual({ kind: "stored", accepted: 2 });
    expect(await second).toEqual({ kind: "stored", accepted: 2 });
    expect(await retry).toEqual({ kind: "duplicate" });
    expect(sink.targets().flat()).toEqual(["/a1", "/a1", "/a2", "/a2"]);
    expect(stats.counters).toMatchObject({
      batchesBuffered: 2,
      batchesStored: 2,
      recordsStored: 4,
      batchesFailedStorage: 0,
    });
    expect(handler.queueState.storageDown).toBe(false);
  });

  it("refuses, and counts, what does not fit in the outage buffer", async () => {
    const sink = new RecordingSink();
    sink.failWith = transient;
    const stats = new IngestStats();
    const handler = new ExportBatchHandler(sink, stats, 1, undefined, { maxQueuedRows: 4, retryDelayMs: 5 });
    const held = handler.handle(batch("a", 1n, 3));
    await until(() => stats.counters.insertRetries >= 1);
    expect(await handler.handle(batch("b", 1n, 3))).toMatchObject({
      kind: "busy",
      reason: expect.stringMatching(/storage is unavailable and the collector's buffer is full/),
    });
    expect(stats.counters.batchesRefusedBufferFull).toBe(1);
    sink.failWith = undefined;
    expect(await held).toEqual({ kind: "stored", accepted: 3 });
    expect(await handler.handle(batch("b", 1n, 3))).toEqual({ kind: "stored", accepted: 3 });
  });

  it("isolates a batch storage refuses for good, stores the others, and lets the bad one be retried", async () => {
    const sink = new RecordingSink();
    sink.blocked = true;
    sink.failWhen = (rows) => rows.some((row) => (row as { target: string }).target === "/bad");
    const stats = new IngestStats();
    const handler = new ExportBatchHandler(sink, stats, 1);
    const first = handler.handle(batch("a", 1n, 1, "/first"));
    const bad = handler.handle(batch("b", 9n, 1, "/bad"));
    const good = handler.handle(batch("c", 1n, 1, "/good"));
    sink.unblock();
    await first;
    const failed = await bad;
    expect(failed.kind).toBe("storage-failed");
    expect(failed.kind === "storage-failed" && isTransientStorageError(failed.cause)).toBe(false);
    expect(await good).toEqual({ kind: "stored", accepted: 1 });
    expect(sink.targets().flat()).toEqual(["/first", "/good"]);
    expect(stats.counters.batchesFailedStorage).toBe(1);
    sink.failWhen = undefined;
    expect(await handler.handle(batch("b", 9n, 1, "/bad"))).toEqual({ kind: "stored", accepted: 1 });
    expect(await handler.handle(batch("b", 9n, 1, "/bad"))).toEqual({ kind: "duplicate" });
  });

  it("tells the listener each stored batch's rows once, and nothing of duplicates or failures", async () => {
    const heard: { agentId: string; targets: string[] }[] = [];
    const sink = new RecordingSink();
    const handler = new ExportBatchHandler(sink, new IngestStats(), 2, (rows, agentId) =>
      heard.push({ agentId, targets: rows().map((row) => row.target) }),
    );
    await handler.handle(batch("a", 1n, 2));
    await handler.handle(batch("a", 1n, 2));
    sink.failWhen = () => true;
    await handler.handle(batch("a", 2n, 1));
    expect(heard).toEqual([{ agentId: "a", targets: ["/", "/"] }]);
  });
});

describe("isTransientStorageError", () => {
  it("retries network failures and overload, not statement or data errors", () => {
    expect(isTransientStorageError(transient())).toBe(true);
    expect(isTransientStorageError(Object.assign(new Error("memory"), { code: "241" }))).toBe(true);
    expect(isTransientStorageError(permanent())).toBe(false);
    expect(isTransientStorageError(Object.assign(new Error("Unknown identifier"), { code: "47" }))).toBe(
      false,
    );
  });
});

describe("ExportBatchHandler acknowledging on queue", () => {
  it("answers once a batch is queued, stores it after, and still tells the listener", async () => {
    const sink = new RecordingSink();
    sink.blocked = true;
    const heard: string[] = [];
    const stats = new IngestStats();
    const handler = new ExportBatchHandler(
      sink,
      stats,
      1,
      (rows) => heard.push(...rows().map((row) => row.target)),
      {
        acknowledge: "queued",
      },
    );
    expect(await handler.handle(batch("a", 1n, 2, "/q"))).toEqual({ kind: "stored", accepted: 2 });
    expect(await handler.handle(batch("a", 1n, 2, "/q"))).toEqual({ kind: "duplicate" });
    expect(sink.inserts).toEqual([]);
    sink.unblock();
    await handler.drained();
    expect(sink.targets()).toEqual([["/q", "/q"]]);
    expect(heard).toEqual(["/q", "/q"]);
    expect(stats.counters).toMatchObject({ batchesStored: 1, batchesBuffered: 0 });
  });
});
