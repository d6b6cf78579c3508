import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KernelCapture, runNodeScript, startKernelCapture } from "../testing/kernel-capture.js";
import { mysqlDefinition } from "./mysql-definition.js";

// The real mysql2 client in a child process against the local MariaDB server
// (scripts/setup/services.sh), captured by the real eBPF tracer and parsed by
// the pipeline restricted to MySQL.

const CLIENT_SCRIPT = `
process.title = "pscope-mysql";
const mysql = require("mysql2/promise");
(async () => {
  const connection = await mysql.createConnection({ host: "127.0.0.1", port: 3306, user: "periscope", password: "periscope", database: "periscope" });
  await connection.query("SELECT 1 AS one UNION ALL SELECT 2");
  await connection.query("SELECT * FROM missing_table").catch(() => {});
  await connection.execute("SELECT ? * 2 AS doubled", [21]);
  await connection.execute("SELECT ? * 2 AS doubled", [22]);
  await connection.ping();
  await connection.end();
})();
`;

let capture: KernelCapture;

beforeAll(() => {
  capture = startKernelCapture([mysqlDefinition]);
});

afterAll(() => capture?.close());

describe("MySQL behind the real socket tracer", () => {
  it("records the mysql2 client's queries, prepared statements and errors from the client's end", async () => {
    const client = await runNodeScript(CLIENT_SCRIPT);
    const ours = () => capture.clientRecordsOf(client.pid);
    await expect.poll(() => ours().length, { timeout: 10_000 }).toBe(7);
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
        operation: "CONNECT",
        target: "periscope",
        status: 0,
        error: false,
        sqlstate: undefined,
        rows: undefined,
        server: 3306,
      },
      {
        operation: "SELECT",
        target: "SELECT 1 AS one UNION ALL SELECT 2",
        status: 0,
        error: false,
        sqlstate: undefined,
        rows: "2",
        server: 3306,
      },
      {
        operation: "SELECT",
        target: "SELECT * FROM missing_table",
        status: 1146,
        error: true,
        sqlstate: "42S02",
        rows: undefined,
        server: 3306,
      },
      {
        operation: "COM_STMT_PREPARE",
        target: "SELECT ? * 2 AS doubled",
        status: 0,
        error: false,
        sqlstate: undefined,
        rows: undefined,
        server: 3306,
      },
      {
        operation: "SELECT",
        target: "SELECT ? * 2 AS doubled",
        status: 0,
        error: false,
        sqlstate: undefined,
        rows: "1",
        server: 3306,
      },
      {
        operation: "SELECT",
        target: "SELECT ? * 2 AS doubled",
        status: 0,
        error: false,
        sqlstate: undefined,
        rows: "1",
        server: 3306,
      },
      {
        operation: "COM_PING",
        target: "",
        status: 0,
        error: false,
        sqlstate: undefined,
        rows: "0",
        server: 3306,
      },
    ]);
    for (const record of ours()) {
      expect(record.durationNs).toBeGreaterThan(0n);
      expect(record.client.service).toBe("pscope-mysql");
    }
    // The server's end (mariadbd) sees the same commands.
    const serverSide = capture.records.filter(
      (record) => record.side === "server" && record.client.port === ours()[0]?.client.port,
    );
    expect(serverSide.map((record) => record.target)).toEqual(ours().map((record) => record.target));
  });
});
