// The insert queue's linger: a burst of small batches becomes few inserts,
// and still no batch is acknowledged before the insert that stores it ends.
import { create, ExportRequestSchema } from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { requestRecord } from "../fixtures/ingest-client.js";
import { ExportBatchHandler, type ExportOutcome, type RowSink } from "./export-batch-handler.js";
import { IngestStats } from "./ingest-stats.js";
import { ReaderActivity } from "./reader-activity.js";

const LINGER_MS = 150;

function batch(agentId: string, batchSeq: bigint, count: number) {
  return create(ExportRequestSchema, {
    agentId,
    batchSeq,
    requests: Array.from({ length: count }, (_, i) =>
      requestRecord({
        side: "server",
        startMs: Date.now() - 1000,
        durationMs: 1,
        client: { service: "a", ip: "10.0.0.1", port: 1000 },
        server: { service: "b", ip: "10.0.0.2", port: 80 },
        target: `/${agentId}/${i}`,
      }),
    ),
  });
}

/** Counts inserts; while `held`, an insert does not finish until release(). */
class HeldSink implements RowSink {
  rowsStored = 0;
  held = false;
  private releases: (() => void)[] = [];

  async insertRows(_table: string, rows: readonly object[]): Promise<void> {
    if (this.held) await new Promise<void>((resolve) => this.releases.push(resolve));
    this.rowsStored += rows.length;
  }

  get waiting(): number {
    return this.releases.length;
  }

  release(): void {
    this.held = false;
    for (const resolve of this.releases.splice(0)) resolve();
  }
}

const settled = (promise: Promise<ExportOutcome>) => {
  const state = { done: false };
  void promise.then(() => {
    state.done = true;
  });
  return state;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("insert linger", () => {
  it("turns a burst of small batches into few inserts, counted per table", async () => {
    const sink = new HeldSink();
    const stats = new IngestStats();
    const handler = new ExportBatchHandler(sink, stats, 2, undefined, { lingerMs: LINGER_MS });
    // 40 agents' 1 s flushes of 5 records, arriving over ~100 ms.
    const outcomes: Promise<ExportOutcome>[] = [];
    for (let agent = 0; agent < 40; agent++) {
      outcomes.push(handler.handle(batch(`node-${agent}`, 1n, 5)));
      if (agent % 10 === 9) await sleep(25);
    }
    expect((await Promise.all(outcomes)).every((outcome) => outcome.kind === "stored")).toBe(true);
    expect(sink.rowsStored).toBe(200);
    // The first batch after a quiet spell goes at once; the rest wait for the linger.
    const requests = stats.insertsByTable.get("requests");
    expect(requests?.rows).toBe(200);
    expect(requests?.statements).toBeLessThanOrEqual(2);
    expect(stats.counters).toMatchObject({ insertRows: 200, batchesStored: 40 });
    expect(stats.counters.insertStatements).toBeLessThanOrEqual(2);
  });

  it("acknowledges no batch before its insert has finished, lingering or not", async () => {
    const sink = new HeldSink();
    sink.held = true;
    const handler = new ExportBatchHandler(sink, new IngestStats(), 2, undefined, { lingerMs: LINGER_MS });
    const first = handler.handle(batch("a", 1n, 3));
    const firstState = settled(first);
    const second = handler.handle(batch("b", 1n, 3));
    const secondState = settled(second);
    await sleep(LINGER_MS * 3);
    // Both inserts have started (the second after its linger) and are held by storage.
    expect(sink.waiting).toBe(2);
    expect(firstState.done).toBe(false);
    expect(secondState.done).toBe(false);
    sink.release();
    expect(await first).toEqual({ kind: "stored", accepted: 3 });
    expect(await second).toEqual({ kind: "stored", accepted: 3 });
    expect(sink.rowsStored).toBe(6);
  });

  it("lingers for the idle linger while nobody reads, and inserts within the short one once someone does", async () => {
    const sink = new HeldSink();
    const stats = new IngestStats();
    const handler = new ExportBatchHandler(sink, stats, 2, undefined, {
      lingerMs: LINGER_MS,
      idleLingerMs: 60_000,
    });
    const readers = new ReaderActivity();
    handler.watchedBy(readers);
    // The first batch after a quiet spell goes at once; the next one lingers.
    expect(await handler.handle(batch("a", 1n, 2))).toEqual({ kind: "stored", accepted: 2 });
    const second = handler.handle(batch("a", 2n, 2));
    const secondState = settled(second);
    await sleep(LINGER_MS * 3);
    expect(secondState.done).toBe(false);
    expect(stats.insertsByTable.get("requests")?.statements).toBe(1);
    // Probes and scrapes are not readers; a map read is.
    readers.noteRequest("/api/v1/health");
    readers.noteRequest("/metrics");
    await sleep(LINGER_MS * 2);
    expect(secondState.done).toBe(false);
    readers.noteRequest("/api/v1/map?from=now-15m");
    expect(await second).toEqual({ kind: "stored", accepted: 2 });
    expect(stats.insertsByTable.get("requests")?.statements).toBe(2);
  });

  it("inserts before the idle linger is up once one agent has half its in-flight window waiting", async () => {
    const sink = new HeldSink();
    const stats = new IngestStats();
    const handler = new ExportBatchHandler(sink, stats, 2, undefined, {
      lingerMs: LINGER_MS,
      idleLingerMs: 60_000,
      agentBatchesToFlush: 4,
    });
    handler.watchedBy(new ReaderActivity());
    expect(await handler.handle(batch("fast", 1n, 1))).toEqual({ kind: "stored", accepted: 1 });
    // Three waiting batches of one agent, and one each of two others: still lingering.
    const waiting = [2n, 3n, 4n].map((seq) => handler.handle(batch("fast", seq, 1)));
    waiting.push(handler.handle(batch("slow-1", 1n, 1)), handler.handle(batch("slow-2", 1n, 1)));
    const states = waiting.map(settled);
    await sleep(LINGER_MS * 2);
    expect(states.some((state) => state.done)).toBe(false);
    // The fast agent's fourth waiting batch starts the insert, which takes everyone's.
    waiting.push(handler.handle(batch("fast", 5n, 1)));
    const outcomes = await Promise.all(waiting);
    expect(outcomes.every((outcome) => outcome.kind === "stored")).toBe(true);
    expect(stats.insertsByTable.get("requests")).toMatchObject({ statements: 2, rows: 7 });
  });
});
