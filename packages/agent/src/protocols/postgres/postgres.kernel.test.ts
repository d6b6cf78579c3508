import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KernelCapture, runNodeScript, startKernelCapture } from "../testing/kernel-capture.js";
import { postgresDefinition } from "./postgres-definition.js";

// The real pg client in a child process against the local PostgreSQL server
// (scripts/setup/services.sh), captured by the real eBPF tracer and parsed by
// the pipeline restricted to PostgreSQL.

const CLIENT_SCRIPT = `
process.title = "pscope-pg";
const { Client } = require("pg");
(async () => {
  const client = new Client({ host: "127.0.0.1", port: 5432, user: "periscope", password: "periscope", database: "periscope" });
  await client.connect();
  await client.query("SELECT generate_series(1, 3) AS n");
  await client.query("SELECT * FROM missing_table").catch(() => {});
  const byId = { name: "kernel-by-id", text: "SELECT $1::int * 2 AS doubled" };
  await client.query({ ...byId, values: [1] });
  await client.query({ ...byId, values: [2] });
  // sqlcommenter: the trace context rides in a trailing comment.
  await client.query("SELECT 42 AS answer /*traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'*/");
  await client.end();
})();
`;

let capture: KernelCapture;

beforeAll(() => {
  capture = startKernelCapture([postgresDefinition]);
});

afterAll(() => capture?.close());

describe("PostgreSQL behind the real socket tracer", () => {
  it("records the pg client's queries, prepared statements and errors from the client's end", async () => {
    const client = await runNodeScript(CLIENT_SCRIPT);
    const ours = () => capture.clientRecordsOf(client.pid);
    await expect.poll(() => ours().length, { timeout: 10_000 }).toBe(6);
    expect(
      ours().map((record) => ({
        operation: record.operation,
        target: record.target,
        status: record.status,
        error: record.error,
        sqlstate: record.attributes["db.sqlstate"],
        rows: record.attributes["db.rows"],
        server: record.server.port,
      })),
    ).toEqual([
      {
        operation: "STARTUP",
        target: "periscope",
        status: 0,
        error: false,
        sqlstate: undefined,
        rows: undefined,
        server: 5432,
      },
      {
        operation: "SELECT",
        target: "SELECT generate_series(1, 3) AS n",
        status: 0,
        error: false,
        sqlstate: undefined,
        rows: "3",
        server: 5432,
      },
      {
        operation: "SELECT",
        target: "SELECT * FROM missing_table",
        status: 42,
        error: true,
        sqlstate: "42P01",
        rows: undefined,
        server: 5432,
      },
      {
        operation: "SELECT",
        target: "SELECT $1::int * 2 AS doubled",
        status: 0,
        error: false,
        sqlstate: undefined,
        rows: "1",
        server: 5432,
      },
      {
        operation: "SELECT",
        target: "SELECT $1::int * 2 AS doubled",
        status: 0,
        error: false,
        sqlstate: undefined,
        rows: "1",
        server: 5432,
      },
      {
        operation: "SELECT",
        target: "SELECT 42 AS answer",
        status: 0,
        error: false,
        sqlstate: undefined,
        rows: "1",
        server: 5432,
      },
    ]);
    // Only the commented statement joins a trace, as the span its traceparent names.
    expect(ours().map((record) => [record.traceId, record.spanId])).toEqual([
      ...Array.from({ length: 5 }, () => ["", ""]),
      ["4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"],
    ]);
    for (const record of ours()) {
      expect(record.durationNs).toBeGreaterThan(0n);
      expect(record.client.service).toBe("pscope-pg");
      expect(JSON.stringify(record.attributes)).not.toContain("SCRAM");
    }
    // The server's end (a postgres backend) sees the same rounds.
    const serverSide = capture.records.filter(
      (record) => record.side === "server" && record.client.port === ours()[0]?.client.port,
    );
    expect(serverSide.map((record) => record.target)).toEqual(ours().map((record) => record.target));
  });
});
