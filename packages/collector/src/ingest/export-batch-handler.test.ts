import { create, ExportRequestSchema } from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { requestRecord } from "../fixtures/ingest-client.js";
import { isTransientStorageError } from "../storage/storage-errors.js";
import { ExportBatchHandler, type RowSink } from "./export-batch-handler.js";
import { IngestStats } from "./ingest-stats.js";

const record = requestRecord({
  side: "client",
  startMs: Date.now() - 1000,
  durationMs: 1,
  client: { service: "a", ip: "10.0.0.1", port: 1000 },
  server: { service: "b", ip: "10.0.0.2", port: 80 },
});

function batch(agentId: string, batchSeq: bigint, count = 3) {
  return create(ExportRequestSchema, {
    agentId,
    batchSeq,
    requests: Array.from({ length: count }, () => record),
  });
}

class RecordingSink implements RowSink {
  inserts: { table: string; rows: readonly object[] }[] = [];
  private release: (() => void) | undefined;
  blocked = false;

  async insertRows(table: string, rows: readonly object[]): Promise<void> {
    if (this.blocked) await new Promise<void>((resolve) => (this.release = resolve));
    this.inserts.push({ table, rows });
  }

  unblock(): void {
    this.blocked = false;
    this.release?.();
  }
}

describe("ExportBatchHandler", () => {
  it("stores a batch in one insert and counts it", async () => {
    const sink = new RecordingSink();
    const stats = new IngestStats();
    const handler = new ExportBatchHandler(sink, stats, 4);
    expect(await handler.handle(batch("a", 1n, 250))).toEqual({ kind: "stored", accepted: 250 });
    expect(sink.inserts).toHaveLength(1);
    expect(sink.inserts[0]?.table).toBe("requests");
    expect(sink.inserts[0]?.rows).toHaveLength(250);
    expect(stats.counters).toMatchObject({ batchesStored: 1, recordsStored: 250 });
    expect(stats.agentStatuses().map((agent) => agent.agentId)).toEqual(["a"]);
  });

  it("refuses batches beyond the in-flight bound and counts them, then recovers", async () => {
    const sink = new RecordingSink();
    sink.blocked = true;
    const stats = new IngestStats();
    const handler = new ExportBatchHandler(sink, stats, 1);
    const first = handler.handle(batch("a", 1n));
    const second = await handler.handle(batch("b", 1n));
    expect(second.kind).toBe("busy");
    expect(stats.counters.batchesRefusedBusy).toBe(1);
    sink.unblock();
    expect(await first).toEqual({ kind: "stored", accepted: 3 });
    expect(await handler.handle(batch("b", 1n))).toEqual({ kind: "stored", accepted: 3 });
  });

  it("reports a storage failure without remembering the batch, so its retry is stored", async () => {
    const stats = new IngestStats();
    let fail = true;
    const sink: RowSink = {
      insertRows: async () => {
        if (fail) throw Object.assign(new Error("Too many parts"), { code: "252", type: "TOO_MANY_PARTS" });
      },
    };
    const handler = new ExportBatchHandler(sink, stats, 2);
    const failed = await handler.handle(batch("a", 9n));
    expect(failed.kind).toBe("storage-failed");
    expect(failed.kind === "storage-failed" && isTransientStorageError(failed.cause)).toBe(true);
    expect(stats.counters.batchesFailedStorage).toBe(1);
    fail = false;
    expect(await handler.handle(batch("a", 9n))).toEqual({ kind: "stored", accepted: 3 });
    expect(await handler.handle(batch("a", 9n))).toEqual({ kind: "duplicate" });
  });
});

describe("isTransientStorageError", () => {
  it("retries network failures and overload, not statement or data errors", () => {
    expect(
      isTransientStorageError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })),
    ).toBe(true);
    expect(isTransientStorageError(Object.assign(new Error("memory"), { code: "241" }))).toBe(true);
    expect(isTransientStorageError(Object.assign(new Error("Cannot parse input"), { code: "27" }))).toBe(
      false,
    );
    expect(isTransientStorageError(Object.assign(new Error("Unknown identifier"), { code: "47" }))).toBe(
      false,
    );
  });
});

describe("ExportBatchHandler listener", () => {
  it("hears each stored batch's rows once, and nothing of duplicates or failures", async () => {
    const heard: { agentId: string; targets: string[] }[] = [];
    let fail = false;
    const sink: RowSink = {
      insertRows: async () => {
        if (fail) throw new Error("down");
      },
    };
    const handler = new ExportBatchHandler(sink, new IngestStats(), 2, (rows, agentId) =>
      heard.push({ agentId, targets: rows.map((row) => row.target) }),
    );
    await handler.handle(batch("a", 1n, 2));
    await handler.handle(batch("a", 1n, 2));
    fail = true;
    await handler.handle(batch("a", 2n, 1));
    expect(heard).toEqual([{ agentId: "a", targets: ["/", "/"] }]);
  });
});
