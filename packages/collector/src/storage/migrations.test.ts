// Migrations against the embedded engine, in this file's own data directory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, RequestRecordSchema } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toRequestRow } from "../ingest/request-row.js";
import { applyMigrations, loadMigrations, renderMigrationSql } from "./migrations.js";
import { syncRetention, TABLE_TTLS } from "./retention.js";
import { openStorage, type Storage } from "./storage.js";

let dataDir: string;
let storage: Storage;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "periscope-migrations-"));
  storage = openStorage({ kind: "embedded", dataDir });
});

afterAll(async () => {
  await storage.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function requestsEngine(): Promise<string> {
  const rows = await storage.select<{ engine_full: string }>(
    "SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = 'requests'",
  );
  return rows[0]?.engine_full ?? "";
}

describe("migrations", () => {
  it("apply once, record themselves, and apply nothing after a restart", async () => {
    const migrations = await loadMigrations({ retentionDays: 7 });
    expect(migrations.map((m) => `${m.version}_${m.name}`)).toContain("1_requests");
    expect(await applyMigrations(storage, migrations)).toEqual(migrations.map((m) => m.version));

    await storage.close();
    storage = openStorage({ kind: "embedded", dataDir });
    expect(await applyMigrations(storage, await loadMigrations({ retentionDays: 7 }))).toEqual([]);
    const recorded = await storage.select<{ version: number; name: string }>(
      "SELECT version, name FROM schema_migrations ORDER BY version",
    );
    expect(recorded).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
  });

  it("create requests partitioned by day, with a TTL and a bloom filter on trace_id", async () => {
    const engine = await requestsEngine();
    expect(engine).toMatch(/^MergeTree PARTITION BY toDate\(time\) ORDER BY/);
    expect(engine).toContain("TTL toDateTime(time) + toIntervalDay(7)");
    const indexes = await storage.select<{ name: string; type: string; expr: string }>(
      "SELECT name, type, expr FROM system.data_skipping_indices WHERE database = currentDatabase() AND table = 'requests'",
    );
    expect(indexes).toEqual([
      { name: "idx_trace_id", type: "bloom_filter", expr: "trace_id" },
      { name: "idx_client_service", type: "bloom_filter", expr: "client_service" },
      { name: "idx_target_ngrams", type: "ngrambf_v1", expr: "target" },
      { name: "idx_pods", type: "bloom_filter", expr: "client_pod, server_pod" },
      { name: "idx_nodes", type: "set", expr: "client_node, server_node" },
      { name: "idx_workloads", type: "bloom_filter", expr: "client_workload, server_workload" },
      { name: "idx_namespaces", type: "set", expr: "client_namespace, server_namespace" },
      { name: "idx_names", type: "bloom_filter", expr: "client_name, server_name" },
      { name: "idx_duration", type: "minmax", expr: "duration_ns" },
      { name: "idx_connection", type: "bloom_filter", expr: "connection_hash" },
    ]);
  });

  it("give every field of a stored row a column, and every column a field", async () => {
    const columns = await storage.select<{ name: string }>(
      // MATERIALIZED columns (the search's names, 0026) are the engine's to fill.
      "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'requests' AND default_kind != 'MATERIALIZED' ORDER BY position",
    );
    const row = toRequestRow("agent", create(RequestRecordSchema, {}));
    expect(columns.map((c) => c.name).sort()).toEqual(Object.keys(row).sort());
  });

  it("give every table its own TTL from config and apply a changed one on the next start", async () => {
    const settings = { retentionDays: 7 };
    // The hourly roll-ups are created with the minute tier's TTL (0013); their own comes at the first start.
    const hourly = ["metric_edges_1h", "metric_services_1h", "metric_endpoints_1h"];
    expect(await syncRetention(storage, settings)).toEqual(hourly);
    expect(await syncRetention(storage, settings)).toEqual([]);
    expect(await syncRetention(storage, { retentionDays: 30, rollupRetentionDays: 60 })).toEqual([
      "requests",
      "connections",
      "trace_index",
      "metric_edges_1m",
      "metric_services_1m",
      "metric_endpoints_1m",
    ]);
    expect(await requestsEngine()).toContain("TTL toDateTime(time) + toIntervalDay(30)");
    const engines = await storage.select<{ name: string; engine_full: string }>(
      "SELECT name, engine_full FROM system.tables WHERE database = currentDatabase()",
    );
    const ttlOf = (table: string) =>
      /TTL (.*?)(?: SETTINGS|$)/.exec(engines.find((e) => e.name === table)?.engine_full ?? "")?.[1];
    expect(ttlOf("metric_edges_1m")).toBe("minute + toIntervalDay(60)");
    // Hourly roll-ups outlive the minute ones: 365 days unless PERISCOPE_ROLLUP_HOURLY_RETENTION_DAYS says otherwise.
    expect(ttlOf("metric_edges_1h")).toBe("hour + toIntervalDay(365)");
    expect(ttlOf("shared_links")).toBe("toDateTime(created_at) + toIntervalDay(90)");
    expect(TABLE_TTLS.every(({ table }) => ttlOf(table) !== undefined)).toBe(true);
    expect(await syncRetention(storage, { retentionDays: 30, rollupRetentionDays: 60 })).toEqual([]);
    // Never shorter than the minute tier: a shorter hourly setting is raised to it.
    const longer = { retentionDays: 30, rollupRetentionDays: 60, hourlyRollupRetentionDays: 90 };
    expect(await syncRetention(storage, longer)).toEqual(hourly);
    expect(await syncRetention(storage, { ...longer, hourlyRollupRetentionDays: 10 })).toEqual(hourly);
    const [edges1h] = await storage.select<{ engine_full: string }>(
      "SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = 'metric_edges_1h'",
    );
    expect(edges1h?.engine_full).toContain("TTL hour + toIntervalDay(60)");
    await syncRetention(storage, { retentionDays: 30, rollupRetentionDays: 60 });
  });

  it("drop requests older than the retention once their parts merge, and keep the recent ones", async () => {
    const daysAgo = (days: number) => BigInt(Date.now() - days * 86_400_000) * 1_000_000n;
    const row = (target: string, days: number) =>
      toRequestRow("agent", create(RequestRecordSchema, { target, startTimeUnixNano: daysAgo(days) }));
    // The previous test left requests at 30 days.
    await storage.insertRows("requests", [row("/expired", 45), row("/kept", 2)]);
    await storage.command("OPTIMIZE TABLE requests FINAL");
    const targets = await storage.select<{ target: string }>(
      "SELECT target FROM requests WHERE target IN ('/expired', '/kept')",
    );
    expect(targets.map((t) => t.target)).toEqual(["/kept"]);
  });
});

describe("renderMigrationSql", () => {
  it("fills known placeholders and refuses unknown ones", () => {
    expect(renderMigrationSql("TTL x + toIntervalDay({{retention_days}})", { retentionDays: 14 })).toBe(
      "TTL x + toIntervalDay(14)",
    );
    expect(() => renderMigrationSql("{{database}}", { retentionDays: 1 })).toThrow(
      /unknown placeholder \{\{database\}\}/,
    );
  });
});
