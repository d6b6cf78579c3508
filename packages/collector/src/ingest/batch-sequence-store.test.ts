// A restarted collector recognises batches its previous run stored but never
// answered (issue #14), from what the embedded engine holds.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectionStatsSchema, create, ExportRequestSchema } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestRecord } from "../fixtures/ingest-client.js";
import { applyMigrations, loadMigrations } from "../storage/migrations.js";
import { openStorage, type Storage, type TsvInserter } from "../storage/storage.js";
import { loadStoredSequences } from "./batch-sequence-store.js";
import { ExportBatchHandler, type RowSink } from "./export-batch-handler.js";
import { IngestStats } from "./ingest-stats.js";

let dataDir: string;
let storage: Storage & TsvInserter;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "periscope-sequences-"));
  storage = openStorage({ kind: "embedded", dataDir });
  await applyMigrations(storage, await loadMigrations({ retentionDays: 7 }));
}, 60_000);

afterAll(async () => {
  await storage?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const batch = (agentId: string, batchSeq: bigint, target: string, connections = 0) =>
  create(ExportRequestSchema, {
    agentId,
    batchSeq,
    requests: [1, 2].map(() =>
      requestRecord({
        side: "client",
        startMs: Date.now() - 1000,
        durationMs: 1,
        client: { ip: "10.0.0.1", port: 1000 },
        server: { ip: "10.0.0.2", port: 80 },
        target,
      }),
    ),
    connections: Array.from({ length: connections }, () =>
      create(ConnectionStatsSchema, { timeUnixNano: BigInt(Date.now() - 1000) * 1_000_000n, bytesSent: 1n }),
    ),
  });

async function count(sql: string): Promise<number> {
  const [row] = await storage.select<{ n: string }>(sql);
  return Number(row?.n);
}

/** A collector run: a handler restored from storage, as collector.ts starts one. */
async function run(sink: RowSink = storage): Promise<{ handler: ExportBatchHandler; stats: IngestStats }> {
  const stats = new IngestStats();
  const handler = new ExportBatchHandler(sink, stats, 2);
  handler.restore(await loadStoredSequences(storage));
  return { handler, stats };
}

describe("batch numbers across a collector restart", () => {
  it("answers a retry of a batch the previous run stored as a duplicate, storing nothing twice", async () => {
    const first = await run();
    expect(await first.handler.handle(batch("agent-a", 100n, "/stored-once", 1))).toMatchObject({
      kind: "stored",
    });
    // Killed here: stored, never answered. The next run gets the same batch again.
    const second = await run();
    expect(await second.handler.handle(batch("agent-a", 100n, "/stored-once", 1))).toEqual({
      kind: "duplicate",
    });
    expect(second.stats.counters.batchesDuplicate).toBe(1);
    expect(await count("SELECT count() AS n FROM requests WHERE target = '/stored-once'")).toBe(2);
    expect(await count("SELECT count() AS n FROM connections WHERE agent_id = 'agent-a'")).toBe(1);
    // Another agent's batch with the same number is its own.
    expect(await second.handler.handle(batch("agent-b", 100n, "/other-agent"))).toMatchObject({
      kind: "stored",
    });
  });

  it("stores only the rest of a batch whose records were stored before the run was cut off", async () => {
    // The previous run stored the records, then died before the batch's other tables.
    const dying: RowSink = {
      insertTsv: (table, columns, body) => storage.insertTsv(table, columns, body),
      insertRows: async (table, rows) => {
        if (table === "requests") return storage.insertRows(table, rows);
        throw Object.assign(new Error("killed"), { code: "27" });
      },
    };
    const first = await run(dying);
    expect(await first.handler.handle(batch("agent-c", 7n, "/cut-off", 2))).toMatchObject({
      kind: "storage-failed",
    });

    const second = await run();
    expect(await second.handler.handle(batch("agent-c", 7n, "/cut-off", 2))).toMatchObject({
      kind: "stored",
      accepted: 2,
    });
    expect(await count("SELECT count() AS n FROM requests WHERE target = '/cut-off'")).toBe(2);
    expect(await count("SELECT count() AS n FROM connections WHERE agent_id = 'agent-c'")).toBe(2);
    // Now stored whole: a third run calls it a duplicate.
    const third = await run();
    expect(await third.handler.handle(batch("agent-c", 7n, "/cut-off", 2))).toEqual({ kind: "duplicate" });
  });
});
