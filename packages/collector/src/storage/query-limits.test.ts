// Per-query limits reach the engine on both backends, a query over one is
// stopped with the engine's own error and answered 422/503 by the API, and the
// collector keeps answering. The engine here is chdb 3.4.0 (ClickHouse 26.7);
// the server backend talks HTTP to the stand-in (fixtures/), which runs the
// same engine.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestRecord } from "../fixtures/ingest-client.js";
import { type CollectorUnderTest, startCollectorUnderTest } from "../http/fixtures/running-collector.js";
import {
  type ClickHouseHttpStandIn,
  startClickHouseHttpStandIn,
} from "./fixtures/clickhouse-http-stand-in.js";
import { QueryLimitError } from "./query-limits.js";
import { runWithQuerySignal } from "./query-signal.js";
import { openStorage, QueryCancelledError } from "./storage.js";

// 500 blocks of 100 rows, each sleeping 0.1 s: 50 s unbounded, with little
// memory and under max_rows_to_read; the engine checks the time between blocks.
const HEAVY_SQL =
  "SELECT count() FROM numbers(50000) WHERE NOT ignore(sleepEachRow(0.001)) SETTINGS max_block_size = 100";

describe("per-query limits on the embedded engine", () => {
  let dataDir: string;
  let storage: ReturnType<typeof openStorage>;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "periscope-limits-"));
    storage = openStorage(
      { kind: "embedded", dataDir },
      { queryLimits: { maxSeconds: 1, maxMemoryBytes: 32 * 2 ** 20, maxRows: 100_000 } },
    );
  });

  afterAll(async () => {
    await storage?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("max_rows_to_read: the engine's TOO_MANY_ROWS (158) becomes a 422 naming the setting", async () => {
    const error = await storage.select("SELECT count() FROM numbers(1000000)").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryLimitError);
    const limited = error as QueryLimitError;
    expect(limited.clickhouseCode).toBe("158");
    expect(limited.statusCode).toBe(422);
    expect(limited.apiCode).toBe("query_too_large");
    expect(limited.message).toBe(
      "the query would read more than 100,000 rows (PERISCOPE_QUERY_MAX_ROWS); narrow the time range or add filters",
    );
  });

  it("max_rows_to_read covers the whole statement: each side of a UNION ALL, CTEs, scalar subqueries", async () => {
    for (const sql of [
      "SELECT count() FROM numbers(1000000) UNION ALL SELECT 1",
      "WITH x AS (SELECT count() AS c FROM numbers(1000000)) SELECT c FROM x",
      "SELECT (SELECT count() FROM numbers(1000000)) AS c",
    ]) {
      const error = await storage.select(sql).catch((e: unknown) => e);
      expect((error as QueryLimitError).clickhouseCode).toBe("158");
    }
  });

  it("max_execution_time: a heavy query is stopped by the engine after about a second, 503", async () => {
    const began = Date.now();
    const error = await storage.select(HEAVY_SQL).catch((e: unknown) => e);
    const tookMs = Date.now() - began;
    expect(error).toBeInstanceOf(QueryLimitError);
    expect((error as QueryLimitError).clickhouseCode).toBe("159");
    expect((error as QueryLimitError).statusCode).toBe(503);
    expect((error as QueryLimitError).apiCode).toBe("query_timeout");
    expect(tookMs).toBeGreaterThanOrEqual(900);
    expect(tookMs).toBeLessThan(8_000);
  });

  it("max_memory_usage: the query's MEMORY_LIMIT_EXCEEDED (241) is a 422", async () => {
    const error = await storage
      .select("SELECT length(groupArray(x)) FROM numbers(10) ARRAY JOIN range(1000000) AS x")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryLimitError);
    expect((error as QueryLimitError).clickhouseCode).toBe("241");
    expect((error as QueryLimitError).statusCode).toBe(422);
    expect((error as QueryLimitError).message).toContain("32 MiB of memory (PERISCOPE_QUERY_MAX_MEMORY_MB)");
    expect(storage.queryOutcomes.snapshot()).toMatchObject({ tooLarge: 5, timedOut: 1 });
  });

  it("limits stay with their query: statements after it run without them", async () => {
    // Had the limits been SET on chdb's session, this 500,000-row read would hit max_rows_to_read.
    await storage.command("CREATE TABLE numbers_copy (n UInt64) ENGINE = MergeTree ORDER BY n");
    await storage.command("INSERT INTO numbers_copy SELECT number FROM numbers(500000)");
    await storage.command("ALTER TABLE numbers_copy DELETE WHERE n > 1 SETTINGS mutations_sync = 1");
    const [row] = await storage.select<{ n: string }>("SELECT count() AS n FROM numbers_copy");
    expect(row?.n).toBe("2");
  });

  it("a select whose caller gives up rejects at once; the running query still ends at max_execution_time", async () => {
    // chdb cannot interrupt a query that started (no interrupt in its C ABI):
    // the promise settles at once, the engine finishes or times out behind it.
    const controller = new AbortController();
    const began = Date.now();
    const pending = runWithQuerySignal(controller.signal, () => storage.select(HEAVY_SQL));
    setTimeout(() => controller.abort(), 100);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryCancelledError);
    expect(Date.now() - began).toBeLessThan(900);
    expect(storage.queryOutcomes.cancelled).toBe(1);
    // The engine is answering again within the time limit.
    const [row] = await storage.select<{ one: number }>("SELECT 1 AS one");
    expect(row?.one).toBe(1);
    expect(Date.now() - began).toBeLessThan(8_000);
  });
});

interface ErrorBody {
  error: { code: string; message: string };
}

async function ingestRequests(collector: CollectorUnderTest, count: number): Promise<number> {
  const now = Date.now() - 10_000;
  const requests = Array.from({ length: count }, (_, i) =>
    requestRecord({
      side: "server",
      startMs: now - i,
      durationMs: 1,
      client: { service: "web", ip: "10.0.0.1", port: 40_000 + (i % 1000) },
      server: { service: "api", ip: "10.0.0.2", port: 8080 },
      target: `/items/${i}`,
    }),
  );
  const result = await collector.ingest.send({ agentId: "limits-agent", batchSeq: 1n, requests });
  expect(result.ok).toBe(true);
  return now;
}

describe.each(["embedded", "server"] as const)("a query over its limit through the API (%s)", (backend) => {
  let standInDir: string | undefined;
  let standIn: ClickHouseHttpStandIn | undefined;
  let collector: CollectorUnderTest;

  beforeAll(async () => {
    if (backend === "server") {
      standInDir = mkdtempSync(join(tmpdir(), "periscope-limits-standin-"));
      standIn = await startClickHouseHttpStandIn(standInDir);
    }
    collector = await startCollectorUnderTest({
      logger: process.env.DEBUG_LIMITS ? { level: "error" } : false,
      queryMaxRows: 1_000,
      ...(standIn === undefined ? {} : { storageUrl: standIn.url }),
    });
  });

  afterAll(async () => {
    await collector?.close();
    await standIn?.close();
    if (standInDir !== undefined) rmSync(standInDir, { recursive: true, force: true });
  });

  it("answers 422 query_too_large, counts it, and keeps answering", async () => {
    const now = await ingestRequests(collector, 3_000);
    const search = await collector.get<ErrorBody>(
      `/api/v1/requests?from=${now - 60_000}&to=${now + 60_000}&limit=50`,
    );
    expect(search.status).toBe(422);
    expect(search.body.error.code).toBe("query_too_large");
    expect(search.body.error.message).toBe(
      "the query would read more than 1,000 rows (PERISCOPE_QUERY_MAX_ROWS); narrow the time range or add filters",
    );

    expect((await collector.get("/api/v1/health")).status).toBe(200);
    const stats = await collector.get<{ guards: { queries: { tooLarge: number } } }>("/api/v1/stats");
    expect(stats.status).toBe(200);
    expect(stats.body.guards.queries.tooLarge).toBeGreaterThanOrEqual(1);
    const metrics = await fetch(`${collector.collector.httpUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^periscope_queries_stopped_total\{reason="too_large"\} [1-9]/m);

    if (standIn !== undefined) {
      // The limits travel in the SQL; the cancel-on-close setting as a URL setting (the HTTP handler reads it).
      const select = [...standIn.seen]
        .reverse()
        .find((seen) => /^\s*SELECT/.test(seen.query) && /\bFROM requests\b/.test(seen.query));
      expect(select?.query).toContain("max_rows_to_read = 1000");
      expect(select?.settings.cancel_http_readonly_queries_on_client_close).toBe("1");
    }
  });
});
