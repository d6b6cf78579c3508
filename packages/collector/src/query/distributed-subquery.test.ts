// Cluster mode: every table the API reads is Distributed, so an IN-subquery
// must be GLOBAL IN (distributed-subquery.ts). This renders every statement
// the HTTP API sends — request search with the one-observation rule, a
// frozen link, trace, connections, flame graph, pickers, map, RED — through a
// storage that records SQL, and checks each IN-subquery's form. The same SQL
// runs on one node (the embedded-engine tests of those routes).
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectorApp } from "../app.js";
import { IngestStats } from "../ingest/ingest-stats.js";
import type { Storage } from "../storage/storage.js";
import { formatRequestId } from "./request-id.js";

const statements: string[] = [];
const recordingStorage: Storage = {
  kind: "server",
  select: (sql) => {
    statements.push(sql);
    return Promise.resolve([]);
  },
  command: (sql) => {
    statements.push(sql);
    return Promise.resolve();
  },
  insertRows: () => Promise.resolve(),
  isReachable: () => Promise.resolve(true),
  close: () => Promise.resolve(),
};

const app = Fastify({ logger: false });
const from = Date.now() - 3 * 3_600_000;
const to = Date.now();
const range = `from=${from}&to=${to}`;
const requestId = formatRequestId({ timeNs: `${BigInt(to) * 1_000_000n}`, hash: "0123456789abcdef" });

const calls: { method: "GET" | "POST"; url: string; payload?: object }[] = [
  { method: "GET", url: `/api/v1/requests?${range}&observations=one` },
  { method: "GET", url: `/api/v1/requests?${range}&observations=all&service=api` },
  { method: "GET", url: `/api/v1/requests/${requestId}` },
  { method: "POST", url: "/api/v1/links", payload: { from, to, view: {}, freeze: { service: "api" } } },
  { method: "GET", url: "/api/v1/links/AAAAAAAAAAAAAAAAAAAAAA" },
  { method: "GET", url: "/api/v1/trace/0123456789abcdef0123456789abcdef" },
  { method: "GET", url: `/api/v1/trace/0123456789abcdef0123456789abcdef?${range}` },
  { method: "GET", url: `/api/v1/connections?${range}&problems=true` },
  { method: "GET", url: `/api/v1/flamegraph?${range}&service=api` },
  { method: "GET", url: `/api/v1/services?${range}` },
  { method: "GET", url: `/api/v1/map?${range}` },
  { method: "GET", url: `/api/v1/map-diff?${range}` },
  { method: "GET", url: `/api/v1/red?${range}&service=api` },
  { method: "GET", url: `/api/v1/endpoints?${range}&service=api` },
  { method: "GET", url: `/api/v1/agents` },
  ...["service", "operation", "namespace", "protocol"].map((kind) => ({
    method: "GET" as const,
    url: `/api/v1/names?kind=${kind}&${range}&prefix=a`,
  })),
];

const IN_SUBQUERY = /\b(GLOBAL\s+)?IN\s*\(\s*SELECT\b/gi;

beforeAll(async () => {
  await app.register(collectorApp, { storage: recordingStorage, ingestStats: new IngestStats() });
});
afterAll(() => app.close());

describe("queries over Distributed tables", () => {
  it("answers every call without a server error, so each statement was rendered", async () => {
    for (const call of calls) {
      const response = await app.inject(call);
      expect(response.statusCode, `${call.method} ${call.url}: ${response.body}`).toBeLessThan(500);
    }
    expect(statements.length).toBeGreaterThan(calls.length);
  });

  it("writes every IN-subquery as GLOBAL IN", () => {
    const inSubqueries = statements.flatMap((sql) => [...sql.matchAll(IN_SUBQUERY)].map((match) => match[0]));
    expect(inSubqueries.length).toBeGreaterThan(0);
    for (const found of inSubqueries) expect(found).toMatch(/^GLOBAL\s+IN/i);
  });

  it("applies the one-observation rule across shards, in search and in a frozen link", () => {
    // Search reads each row's connection in newest-first batches, then looks
    // the server-side rows' twins up by a plain IN of those hashes (no
    // subquery: valid on a Distributed table as it is); a tie group's query
    // keeps the rule in SQL, as a GLOBAL IN.
    const batches = statements.filter(
      (sql) =>
        sql.includes("toString(connection_hash) AS connection_hash") && sql.includes("ORDER BY time DESC"),
    );
    expect(batches.some((sql) => !sql.includes("{service:String}"))).toBe(true);
    expect(batches.some((sql) => sql.includes("{service:String}"))).toBe(true);
    for (const sql of statements.filter(
      (s) => s.includes("{seen_from_ns:Int64}") && /\bIN\s*\(\s*SELECT\b/i.test(s),
    )) {
      expect(sql).toMatch(/connection_hash GLOBAL IN \(\s*SELECT connection_hash/);
    }
  });

  it("reads a flame graph's stacks with GLOBAL IN over the sampled hashes", () => {
    const flame = statements.find((sql) => sql.includes("FROM profile_stacks"));
    expect(flame).toMatch(/stack_hash GLOBAL IN \(SELECT stack_hash FROM profile_samples/);
  });
});
