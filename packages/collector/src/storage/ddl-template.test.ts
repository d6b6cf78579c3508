// Every migration rendered for one node and for a cluster, checked against the
// embedded engine: materialized views produce exactly their target's columns,
// every statement can run twice, and the cluster layout is complete.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
      "picker_names_mv",
      "rollup_edges_1h_mv",
      "rollup_edges_1m_mv",
      "rollup_endpoints_1h_mv",
      "rollup_endpoints_1m_mv",
      "rollup_services_1h_mv",
      "rollup_services_1m_mv",
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

  it("fill the roll-ups from inserted requests", async () => {
    // Recent, or the TTL would drop the rows as they are inserted.
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    const time = `${new Date(minute + 30_000).toISOString().slice(0, 19).replace("T", " ")}.000000000`;
    const rows = [
      { side: "client", target: "/users/42?x=1", duration_ns: 2_000_000, error: false },
      { side: "client", target: "/users/43", duration_ns: 4_000_000, error: true },
    ].map((row) => ({
      ...row,
      time,
      agent_id: "a",
      protocol: "http",
      client_service: "web",
      server_service: "api",
      operation: "GET",
      trace_id: "t1",
    }));
    await storage.insertRows("requests", rows);
    const edges = await storage.select<{
      client_name: string;
      server_name: string;
      requests: string;
      errors: string;
      p50: number;
    }>(
      "SELECT client_name, server_name, sum(requests) AS requests, sum(errors) AS errors, quantilesTDigestMerge(0.5, 0.9, 0.99)(latency)[1] AS p50 FROM rollup_edges_1m GROUP BY client_name, server_name",
    );
    expect(edges).toEqual([
      { client_name: "web", server_name: "api", requests: "2", errors: "1", p50: expect.any(Number) },
    ]);
    const endpoints = await storage.select<{ target: string; requests: string }>(
      "SELECT target, sum(requests) AS requests FROM rollup_endpoints_1m GROUP BY target",
    );
    expect(endpoints).toEqual([{ target: "/users/{id}", requests: "2" }]);
    const names = await storage.select<{ kind: string; scope: string; name: string }>(
      "SELECT kind, scope, name FROM picker_names GROUP BY kind, scope, name ORDER BY kind, name",
    );
    expect(names).toEqual([
      { kind: "operation", scope: "api", name: "GET" },
      { kind: "service", scope: "", name: "api" },
      { kind: "service", scope: "", name: "web" },
    ]);
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
        expect(engine, statement.slice(0, 80)).toMatch(/^(Replicated\w*MergeTree|Distributed)$/);
    }
  });

  it("gives every local table a Distributed table under the plain name, and views read and write local tables", () => {
    const all = statements(clustered);
    const localTables = all
      .filter((s) => s.startsWith("CREATE TABLE") && /ENGINE = Replicated/.test(s))
      .map(created);
    const distributed = all.filter((s) => /ENGINE = Distributed/.test(s)).map(created);
    expect(localTables.every((name) => name?.endsWith("_local"))).toBe(true);
    expect(distributed.map((name) => `${name}_local`).sort()).toEqual([...localTables].sort());
    for (const view of all.filter((s) => s.startsWith("CREATE MATERIALIZED VIEW"))) {
      expect(view).toMatch(/\sTO \w+_local AS/);
      expect(view).toMatch(/FROM (requests|rollup_\w+_1m)_local\b/);
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
      .filter((s) => !/ENGINE = Distributed/.test(s) && !/^ALTER TABLE requests ON CLUSTER/.test(s))
      .map((s) => asSingle(s).replace(/ {2,}/g, " ").replace(/ \n/g, "\n"));
    expect(clusterStatements).toEqual(singleStatements);
  });

  it("refuses a cluster name that is not an identifier", () => {
    expect(() =>
      renderStatement("SELECT 1 {{on_cluster}}", { retentionDays: 1, cluster: "x'; DROP" }),
    ).toThrow(/not an identifier/);
  });
});
