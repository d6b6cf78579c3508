// The disk guard: what it decides to drop (pure), and a collector started
// over a small PERISCOPE_STORAGE_MAX_BYTES on a data directory holding three
// days of requests dropping the oldest day, counting it and logging it once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestRecord } from "../fixtures/ingest-client.js";
import { type CollectorUnderTest, startCollectorUnderTest } from "../http/fixtures/running-collector.js";
import { bytesToFree, type Partition, planDrops } from "./disk-guard.js";
import { openStorage } from "./storage.js";

describe("bytesToFree", () => {
  const usage = { databaseBytes: 900, volumeFreeBytes: 50, volumeTotalBytes: 1000 };

  it("asks for what the database holds beyond PERISCOPE_STORAGE_MAX_BYTES", () => {
    expect(bytesToFree(usage, { maxBytes: 600, minFreePercent: 0 })).toEqual({
      bytes: 300,
      reason: "max_bytes",
    });
  });

  it("asks for what the volume lacks below PERISCOPE_STORAGE_MIN_FREE_PERCENT", () => {
    expect(bytesToFree(usage, { maxBytes: 0, minFreePercent: 20 })).toEqual({
      bytes: 150,
      reason: "min_free",
    });
  });

  it("asks for nothing within both limits, or with both off", () => {
    expect(bytesToFree(usage, { maxBytes: 1000, minFreePercent: 5 })).toEqual({ bytes: 0, reason: null });
    expect(bytesToFree(usage, { maxBytes: 0, minFreePercent: 0 })).toEqual({ bytes: 0, reason: null });
  });
});

describe("planDrops", () => {
  const partitions: Partition[] = [
    { table: "requests", id: "20261201", bytes: 100 },
    { table: "requests", id: "20261202", bytes: 100 },
    { table: "requests", id: "20261203", bytes: 100 },
    { table: "trace_index", id: "20261201", bytes: 10 },
    { table: "trace_index", id: "20261203", bytes: 10 },
    { table: "metric_edges_1m", id: "20261201", bytes: 50 },
    { table: "metric_edges_1m", id: "20261203", bytes: 50 },
    { table: "metric_edges_1h", id: "20261201", bytes: 5 },
    { table: "metric_edges_1h", id: "20261203", bytes: 5 },
  ];
  const names = (plan: Partition[]) => plan.map((p) => `${p.table}/${p.id}`);

  it("drops the oldest day of raw records first, that day's partitions of every raw table together", () => {
    expect(names(planDrops(partitions, 50))).toEqual(["requests/20261201", "trace_index/20261201"]);
  });

  it("goes on day by day, keeps each table's newest partition, then takes the minute and hourly roll-ups", () => {
    expect(names(planDrops(partitions, 215))).toEqual([
      "requests/20261201",
      "trace_index/20261201",
      "requests/20261202",
      "metric_edges_1m/20261201",
    ]);
    expect(names(planDrops(partitions, 10_000))).toEqual([
      "requests/20261201",
      "trace_index/20261201",
      "requests/20261202",
      "metric_edges_1m/20261201",
      "metric_edges_1h/20261201",
    ]);
  });

  it("plans nothing when only the newest partitions are left", () => {
    expect(planDrops([{ table: "requests", id: "20261203", bytes: 1000 }], 500)).toEqual([]);
  });
});

describe("a collector over PERISCOPE_STORAGE_MAX_BYTES", () => {
  const DAY_MS = 86_400_000;
  const dataDir = mkdtempSync(join(tmpdir(), "periscope-guard-"));
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(
        ...chunk
          .toString()
          .split("\n")
          .filter((line) => line !== ""),
      );
      done();
    },
  });
  let collector: CollectorUnderTest;
  const dayId = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll("-", "");
  const now = Date.now();
  const days = [now - 2 * DAY_MS, now - DAY_MS, now - 60_000];

  async function requestPartitions(): Promise<{ id: string; bytes: number }[]> {
    const storage = openStorage({ kind: "embedded", dataDir });
    try {
      const rows = await storage.select<{ id: string; bytes: string }>(
        `SELECT partition_id AS id, sum(bytes_on_disk) AS bytes FROM system.parts
         WHERE database = currentDatabase() AND active AND table = 'requests'
         GROUP BY id ORDER BY id`,
      );
      return rows.map((row) => ({ id: row.id, bytes: Number(row.bytes) }));
    } finally {
      await storage.close();
    }
  }

  async function databaseBytes(): Promise<number> {
    const storage = openStorage({ kind: "embedded", dataDir });
    try {
      const [row] = await storage.select<{ bytes: string }>(
        "SELECT sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = currentDatabase() AND active",
      );
      return Number(row?.bytes ?? 0);
    } finally {
      await storage.close();
    }
  }

  beforeAll(async () => {
    // Three days of requests, stored by a collector with no limit.
    const filling = await startCollectorUnderTest({ dataDir, storageMinFreePercent: 0 });
    let seq = 0n;
    for (const dayMs of days) {
      seq += 1n;
      const requests = Array.from({ length: 20_000 }, (_, i) =>
        requestRecord({
          side: "server",
          startMs: dayMs + i,
          durationMs: 1,
          client: { service: "web", ip: "10.0.0.1", port: 40_000 + (i % 1000) },
          server: { service: "api", ip: "10.0.0.2", port: 8080 },
          target: `/items/${i}/${seq}`,
        }),
      );
      const result = await filling.ingest.send({ agentId: "guard-agent", batchSeq: seq, requests });
      expect(result.ok).toBe(true);
    }
    await filling.close();
  });

  afterAll(async () => {
    await collector?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("drops the oldest day of requests at start, counts it in /metrics and /api/v1/stats, logs it once", async () => {
    const before = await requestPartitions();
    expect(before.map((p) => p.id)).toEqual(days.map(dayId));
    const oldest = before[0] as { id: string; bytes: number };
    // Over the limit by half the oldest day: dropping that day is enough, and
    // what merges of the small tables change meanwhile cannot tip it either way.
    const maxBytes = (await databaseBytes()) - Math.round(oldest.bytes / 2);

    collector = await startCollectorUnderTest({
      dataDir,
      storageMaxBytes: maxBytes,
      storageMinFreePercent: 0,
      logger: { level: "info", stream: logStream },
    });
    type Stats = {
      guards: {
        diskGuard: {
          enabled: boolean;
          checks: number;
          partitionsDropped: number;
          droppedByTable: Record<string, { partitions: number; bytes: number }>;
          last: { databaseBytes: number } | null;
        };
      };
    };
    let stats = (await collector.get<Stats>("/api/v1/stats")).body;
    for (let i = 0; i < 100 && stats.guards.diskGuard.checks === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      stats = (await collector.get<Stats>("/api/v1/stats")).body;
    }
    const guard = stats.guards.diskGuard;
    expect(guard.enabled).toBe(true);
    expect(guard.checks, logLines.join("\n")).toBeGreaterThan(0);
    expect(guard.droppedByTable.requests, JSON.stringify({ maxBytes, guard, before })).toEqual({
      partitions: 1,
      bytes: oldest.bytes,
    });
    expect(guard.partitionsDropped).toBe(
      Object.values(guard.droppedByTable).reduce((n, t) => n + t.partitions, 0),
    );

    const metrics = await fetch(`${collector.collector.httpUrl}/metrics`).then((r) => r.text());
    expect(metrics).toContain('periscope_storage_guard_partitions_dropped_total{table="requests"} 1');
    expect(metrics).toContain(
      `periscope_storage_guard_bytes_dropped_total{table="requests"} ${oldest.bytes}`,
    );

    const dropLines = logLines.filter((line) => line.includes("disk guard: dropped"));
    expect(dropLines).toHaveLength(1);
    expect(JSON.parse(dropLines[0] ?? "{}")).toMatchObject({
      level: 40,
      reason: "max_bytes",
      partitions: expect.arrayContaining([`requests/${oldest.id}`]),
    });

    // Within the limit now: the next checks drop nothing more.
    await collector.close();
    const after = await requestPartitions();
    expect(after.map((p) => p.id)).toEqual(days.slice(1).map(dayId));
  });
});
