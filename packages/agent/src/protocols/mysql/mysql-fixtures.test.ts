import { describe, expect, it } from "vitest";
import { describeFixtureReplays, type FixtureCase } from "../testing/fixture-replay-cases.js";
import * as mysql from "./fixtures/replay.js";
import { clientHandshake } from "./mysql-messages.js";

const CONNECT = {
  operation: "CONNECT",
  target: "periscope",
  status: 0,
  error: false,
  attributes: {
    "db.user": "periscope",
    "db.name": "periscope",
    "db.server.version": "5.5.5-10.11.19-MariaDB-0+deb12u1",
  },
};
const CREATE = {
  operation: "CREATE",
  target: "CREATE TEMPORARY TABLE items (id INT PRIMARY KEY, name VARCHAR(32))",
  status: 0,
  error: false,
};
const INSERT = {
  operation: "INSERT",
  target: "INSERT INTO items VALUES (1, 'bolt'), (2, 'nut'), (3, 'washer')",
  status: 0,
  error: false,
  attributes: { "db.rows": "3", "db.mysql.command": "COM_QUERY" },
};
const QUIT = 5;
const STMT_CLOSE = 9;

const cases: FixtureCase[] = [
  {
    name: "text-query",
    records: [
      CONNECT,
      {
        operation: "SELECT",
        target: "SELECT 1 AS one",
        status: 0,
        error: false,
        attributes: { "db.rows": "1" },
      },
      CREATE,
      INSERT,
      {
        operation: "SELECT",
        target: "SELECT id, name FROM items ORDER BY id",
        status: 0,
        error: false,
        attributes: { "db.rows": "3" },
      },
      {
        operation: "UPDATE",
        target: "UPDATE items SET name = UPPER(name) WHERE id < 3",
        status: 0,
        error: false,
        attributes: { "db.rows": "2" },
      },
      { operation: "COM_PING", target: "", status: 0, error: false },
    ],
    unansweredRequestBytes: QUIT,
  },
  {
    name: "deprecate-eof",
    records: [
      CONNECT,
      {
        operation: "SELECT",
        target: "SELECT 1 AS id, 'bolt' AS name UNION ALL SELECT 2, 'nut'",
        status: 0,
        error: false,
        attributes: { "db.rows": "2" },
      },
      {
        operation: "SELECT",
        target: "SELECT 1 AS none FROM DUAL WHERE 1 = 0",
        status: 0,
        error: false,
        attributes: { "db.rows": "0" },
      },
      { operation: "COM_STMT_PREPARE", target: "SELECT ? + 1 AS next", status: 0, error: false },
      {
        operation: "SELECT",
        target: "SELECT ? + 1 AS next",
        status: 0,
        error: false,
        attributes: { "db.rows": "1", "db.mysql.command": "COM_STMT_EXECUTE" },
      },
    ],
    unansweredRequestBytes: QUIT,
  },
  {
    name: "prepared",
    records: [
      CONNECT,
      CREATE,
      INSERT,
      { operation: "COM_STMT_PREPARE", target: "INSERT INTO items VALUES (?, ?)", status: 0, error: false },
      {
        operation: "INSERT",
        target: "INSERT INTO items VALUES (?, ?)",
        status: 0,
        error: false,
        attributes: { "db.rows": "1", "db.mysql.command": "COM_STMT_EXECUTE" },
      },
      {
        operation: "COM_STMT_PREPARE",
        target: "SELECT name FROM items WHERE id = ?",
        status: 0,
        error: false,
      },
      { operation: "SELECT", target: "SELECT name FROM items WHERE id = ?", status: 0, error: false },
      // mysql2 reused its cached statement: COM_STMT_EXECUTE alone, the SQL from the prepare above.
      {
        operation: "SELECT",
        target: "SELECT name FROM items WHERE id = ?",
        status: 0,
        error: false,
        attributes: { "db.rows": "1", "db.mysql.command": "COM_STMT_EXECUTE" },
      },
      {
        operation: "COM_STMT_PREPARE",
        target: "SELECT id FROM items WHERE id >= ? ORDER BY id",
        status: 0,
        error: false,
      },
      {
        operation: "SELECT",
        target: "SELECT id FROM items WHERE id >= ? ORDER BY id",
        status: 0,
        error: false,
        attributes: { "db.rows": "3" },
      },
    ],
    unansweredRequestBytes: QUIT + 2 * STMT_CLOSE,
  },
  {
    name: "failing-query",
    records: [
      CONNECT,
      CREATE,
      INSERT,
      {
        operation: "SELECT",
        target: "SELECT * FROM missing_table",
        status: 1146,
        error: true,
        attributes: { "db.sqlstate": "42S02", "db.error": "Table 'periscope.missing_table' doesn't exist" },
      },
      { operation: "COM_STMT_PREPARE", target: "INSERT INTO items VALUES (?, ?)", status: 0, error: false },
      {
        operation: "INSERT",
        target: "INSERT INTO items VALUES (?, ?)",
        status: 1062,
        error: true,
        attributes: { "db.sqlstate": "23000", "db.error": "Duplicate entry '1' for key 'PRIMARY'" },
      },
      { operation: "SELECT", target: "SELECT 2 AS recovered", status: 0, error: false },
    ],
    unansweredRequestBytes: QUIT,
  },
  {
    name: "auth-failure",
    records: [
      {
        operation: "CONNECT",
        target: "periscope",
        status: 1045,
        error: true,
        attributes: { "db.user": "periscope", "db.sqlstate": "28000" },
      },
    ],
    unansweredRequestBytes: 0,
  },
];

describe("MySQL fixtures recorded from the real MariaDB server and mysql2 client", () => {
  // unansweredRequestBytes: COM_QUIT and COM_STMT_CLOSE get no answer.
  describeFixtureReplays(mysql, cases);

  it("names an executed statement by the id its prepare answer gave", () => {
    const records = mysql.replay(mysql.loadFixture("prepared"), 64).exchanges.map(mysql.summarize);
    const ids = records.slice(5, 8).map((record) => record.attributes["db.mysql.statement_id"]);
    expect(ids[0]).toMatch(/^\d+$/);
    expect(new Set(ids).size).toBe(1);
  });

  it("never keeps the auth data: the handshake response's scramble is zeroed once read", () => {
    const fixture = mysql.loadFixture("text-query");
    const payload = Buffer.from(fixture.requests.subarray(4, 4 + fixture.requests.readUIntLE(0, 3)));
    const userEnd = payload.indexOf(0, 32);
    const authLength = payload[userEnd + 1] as number;
    expect(authLength).toBe(20);
    expect(payload.subarray(userEnd + 2, userEnd + 2 + authLength).some((byte) => byte !== 0)).toBe(true);
    const handshake = clientHandshake(payload, payload.length);
    expect(handshake).toMatchObject({ user: "periscope", database: "periscope", sslRequest: false });
    expect(payload.subarray(userEnd + 1, userEnd + 2 + authLength).every((byte) => byte === 0)).toBe(true);
  });
});
