// Every migration rendered for one node and for a cluster, checked against the
// embedded engine: materialized views produce exactly their target's columns,
// every statement can run twice, and the cluster layout is complete.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bucketIndex, LATENCY_SCALE } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgeAndEndpointSeries } from "../fixtures/metric-series.js";
import { toMetricSeriesRow } from "../ingest/metric-series-row.js";
import { renderStatement } from "./ddl-template.js";
import { applyMigrations, loadMigrations, type Migration } from "./migrations.js";
import { openStorage, type Storage } from "./storage.js";

let dataDir: string;
let storage: Storage;
let single: Migration[];
let clustered: Migration[];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "periscope-ddl-"));
  storage = openStorage({ kind: "embedded", dataDir });
  single = await loadMigrations({ retentionDays: 7 });
  clustered = await loadMigrations({ retentionDays: 7, cluster: "periscope" });
  await applyMigrations(storage, single);
});

afterAll(async () => {
  await storage.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const statements = (migrations: Migration[]) => migrations.flatMap((migration) => migration.statements);

interface Column {
  name: string;
  type: string;
}

// A view may write a plain value into a SimpleAggregateFunction column and a
// String into a LowCardinality(String) one; anything else must match exactly.
function storedAs(type: string): string {
  let result = type;
  for (;;) {
    const simple = /^SimpleAggregateFunction\(\w+, (.*)\)$/.exec(result);
    const lowCardinality = /^LowCardinality\((.*)\)$/.exec(result);
    const next = simple?.[1] ?? lowCardinality?.[1];
    if (next === undefined) return result;
    result = next;
  }
}

describe("materialized views", () => {
  it("each produce exactly the columns and types of their target table", async () => {
    const views = await storage.select<{ name: string; as_select: string; create_table_query: string }>(
      "SELECT name, as_select, create_table_query FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView' ORDER BY name",
    );
    expect(views.map((view) => view.name)).toEqual([
      "metric_edges_1h_mv",
      "metric_edges_1m_mv",
      "metric_endpoints_1h_mv",
      "metric_endpoints_1m_mv",
      "metric_services_1h_mv",
      "metric_services_1m_mv",
      "trace_index_mv",
    ]);
    for (const view of views) {
      const target = /\bTO [`\w]+\.`?(\w+)`?/.exec(view.create_table_query)?.[1];
      expect(target, view.name).toBe(view.name.replace(/_mv$/, ""));
      const produced = await storage.select<Column>(`DESCRIBE TABLE (${view.as_select})`);
      const expected = await storage.select<Column>(
        "SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = {table:String}",
        { table: target ?? "" },
      );
      const shape = (columns: Column[]) =>
        columns.map((column) => `${column.name}: ${storedAs(column.type)}`).sort();
      expect(shape(produced), view.name).toEqual(shape(expected));
    }
  });

  it("fill the roll-ups from metric series, and the trace index from requests", async () => {
    // Recent, or the TTL would drop the rows as they are inserted.
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    const web = { service: "web", ip: "10.0.0.1", port: 40000 };
    const api = { service: "api", ip: "10.0.0.2", port: 8080 };
    const common = { side: "client", startMs: minute + 30_000, client: web, server: api } as const;
    const series = [
      ...edgeAndEndpointSeries({ ...common, target: "/users/{id}", durationsMs: [2] }),
      ...edgeAndEndpointSeries({ ...common, target: "/users/{id}", durationsMs: [4], errors: 1 }),
      ...edgeAndEndpointSeries({ ...common, target: "/users/{id}", durationsMs: [3], statusClass: "4xx" }),
    ];
    await storage.insertRows(
      "metric_series",
      series.map((s) => toMetricSeriesRow("a", s)),
    );
    const edges = await storage.select<Record<string, unknown>>(
      "SELECT client_name, server_name, sum(requests) AS requests, sum(errors) AS errors, sum(request_bytes) AS request_bytes, sumMap(status_classes) AS classes, sumMap(latency) AS latency FROM metric_edges_1m GROUP BY client_name, server_name",
    );
    const [two, three, four] = [2e6, 3e6, 4e6].map((ns) => bucketIndex(ns, LATENCY_SCALE));
    expect(edges).toEqual([
      {
        client_name: "web",
        server_name: "api",
        requests: "3",
        errors: "1",
        request_bytes: "300",
        classes: [
          ["2xx", "4xx", "5xx"],
          ["1", "1", "1"],
        ],
        latency: [
          [two, three, four],
          ["1", "1", "1"],
        ],
      },
    ]);
    const endpoints = await storage.select<{ service: string; target: string; requests: string }>(
      "SELECT service, target, sum(requests) AS requests FROM metric_endpoints_1m GROUP BY service, target",
    );
    expect(endpoints).toEqual([{ service: "api", target: "/users/{id}", requests: "3" }]);
    const hourly = await storage.select<{ requests: string }>(
      "SELECT sum(requests) AS requests FROM metric_services_1h WHERE service = 'api'",
    );
    expect(hourly).toEqual([{ requests: "3" }]);

    const time = `${new Date(minute + 30_000).toISOString().slice(0, 19).replace("T", " ")}.000000000`;
    const rows = [
      { duration_ns: 2_000_000, sample_weight: 1 },
      { duration_ns: 4_000_000, sample_weight: 9 },
    ].map((row) => ({
      ...row,
      time,
      agent_id: "a",
      protocol: "http",
      side: "client",
      client_service: "web",
      server_service: "api",
      operation: "GET",
      trace_id: "t1",
    }));
    await storage.insertRows("requests", rows);
    const traces = await storage.select<{ start: string; end: string; spans: string }>(
      "SELECT toString(min(start_time)) AS start, toString(max(end_time)) AS end, sum(spans) AS spans FROM trace_index WHERE trace_id = 't1'",
    );
    expect(traces).toEqual([{ start: time, end: time.replace(/000000000$/, "004000000"), spans: "2" }]);
  });
});

describe("every migration", () => {
  it("applies again over itself (a start that died half-way re-runs it)", async () => {
    for (const statement of statements(single)) await storage.command(statement);
    expect(await applyMigrations(storage, single)).toEqual([]);
  });
});

describe("cluster mode", () => {
  const created = (sql: string) => /^CREATE (?:TABLE|MATERIALIZED VIEW) IF NOT EXISTS (\w+)/.exec(sql)?.[1];

  it("runs every statement ON CLUSTER and every data table as a replicated engine", () => {
    for (const statement of statements(clustered)) {
      expect(statement, statement.slice(0, 80)).toContain("ON CLUSTER 'periscope'");
      const engine = /ENGINE = (\w+)/.exec(statement)?.[1];
      if (engine !== undefined)
        expect(engine, statement.slice(0, 80)).toMatch(/^(Replicated\w*MergeTree|Distributed|Null)$/);
    }
  });

  it("gives every local table a Distributed table under the plain name, and views read and write local tables", () => {
    const all = statements(clustered);
    const localTables = all
      .filter((s) => s.startsWith("CREATE TABLE") && /ENGINE = (Replicated|Null)/.test(s))
      .map(created);
    const distributed = all.filter((s) => /ENGINE = Distributed/.test(s)).map(created);
    expect(localTables.every((name) => name?.endsWith("_local"))).toBe(true);
    expect(distributed.map((name) => `${name}_local`).sort()).toEqual([...localTables].sort());
    for (const view of all.filter((s) => s.startsWith("CREATE MATERIALIZED VIEW"))) {
      expect(view).toMatch(/\sTO \w+_local AS/);
      // 0004/0012's roll-up views are created and then dropped by 0013.
      expect(view).toMatch(/FROM (requests|metric_series|metric_\w+_1m|rollup_\w+_1m)_local\b/);
    }
  });

  it("renders the same views and columns as one node, only the table names differ", () => {
    const asSingle = (sql: string) =>
      sql
        .replace(/ ON CLUSTER 'periscope'/g, "")
        .replace(/(\w+)_local\b/g, "$1")
        .replace(
          /Replicated(\w*MergeTree)\('\/clickhouse\/tables\/\{shard\}\/\{database\}\/\{table\}', '\{replica\}'(?:, )?/g,
          "$1(",
        );
    const singleStatements = statements(single).map((s) => s.replace(/ {2,}/g, " ").replace(/ \n/g, "\n"));
    const clusterStatements = statements(clustered)
      .filter(
        (s) =>
          !/ENGINE = Distributed/.test(s) &&
          !/^ALTER TABLE (requests|metric_series|shared_links|profile_samples) ON CLUSTER/.test(s) &&
          // 0013 and 0030 drop the Distributed tables of what they remove too.
          !/^DROP TABLE IF EXISTS (rollup_\w+_1[mh]|picker_names) ON CLUSTER/.test(s),
      )
      .map((s) => asSingle(s).replace(/ {2,}/g, " ").replace(/ \n/g, "\n"));
    expect(clusterStatements).toEqual(singleStatements);
  });

  it("refuses a cluster name that is not an identifier", () => {
    expect(() =>
      renderStatement("SELECT 1 {{on_cluster}}", { retentionDays: 1, cluster: "x'; DROP" }),
    ).toThrow(/not an identifier/);
  });
});
