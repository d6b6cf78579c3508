import { describe, expect, it } from "vitest";
import { describeFixtureReplays, type FixtureCase } from "../testing/fixture-replay-cases.js";
import * as postgres from "./fixtures/replay.js";

const STARTUP = {
  operation: "STARTUP",
  target: "periscope",
  status: 0,
  error: false,
  attributes: { "db.user": "periscope", "db.name": "periscope", "db.pg.authentication": "sasl" },
};

const cases: Omit<FixtureCase, "unansweredRequestBytes">[] = [
  {
    name: "simple-query",
    records: [
      STARTUP,
      {
        operation: "SELECT",
        target: "SELECT 1 AS one",
        status: 0,
        error: false,
        attributes: { "db.rows": "1" },
      },
      {
        operation: "CREATE",
        target: "CREATE TEMP TABLE items (id int PRIMARY KEY, name text)",
        status: 0,
        error: false,
        attributes: { "db.pg.command_tag": "CREATE TABLE" },
      },
      {
        operation: "INSERT",
        target: "INSERT INTO items VALUES (1, 'bolt'), (2, 'nut'), (3, 'washer')",
        status: 0,
        error: false,
        attributes: { "db.rows": "3", "db.pg.command_tag": "INSERT 0 3" },
      },
      {
        operation: "SELECT",
        target: "SELECT id, name FROM items ORDER BY id",
        status: 0,
        error: false,
        attributes: { "db.rows": "3", "db.pg.query_protocol": "simple" },
      },
      {
        operation: "UPDATE",
        target: "UPDATE items SET name = upper(name) WHERE id < 3",
        status: 0,
        error: false,
        attributes: { "db.rows": "2" },
      },
    ],
  },
  {
    name: "extended-query",
    records: [
      STARTUP,
      {
        operation: "CREATE",
        target: "CREATE TEMP TABLE items (id int PRIMARY KEY, name text)",
        status: 0,
        error: false,
      },
      {
        operation: "INSERT",
        target: "INSERT INTO items VALUES ($1, $2), ($3, $4)",
        status: 0,
        error: false,
        attributes: { "db.rows": "2", "db.pg.query_protocol": "extended" },
      },
      {
        operation: "SELECT",
        target: "SELECT generate_series(1, $1::int) AS n",
        status: 0,
        error: false,
        attributes: { "db.rows": "4" },
      },
      {
        operation: "SELECT",
        target: "SELECT name FROM items WHERE id = $1",
        status: 0,
        error: false,
        attributes: { "db.statement.name": "item-by-id", "db.rows": "1" },
      },
      // Only Bind/Execute went out: the statement's SQL comes from the Parse above.
      {
        operation: "SELECT",
        target: "SELECT name FROM items WHERE id = $1",
        status: 0,
        error: false,
        attributes: { "db.statement.name": "item-by-id", "db.rows": "1" },
      },
    ],
  },
  {
    name: "failing-query",
    records: [
      STARTUP,
      {
        operation: "SELECT",
        target: "SELECT * FROM missing_table",
        status: 42,
        error: true,
        attributes: { "db.sqlstate": "42P01", "db.error": 'relation "missing_table" does not exist' },
      },
      {
        operation: "SELECT",
        target: "SELECT 1 / $1::int AS ratio",
        status: 22,
        error: true,
        attributes: { "db.sqlstate": "22012", "db.error": "division by zero" },
      },
      { operation: "SELECT", target: "SELECT 2 AS recovered", status: 0, error: false },
    ],
  },
  {
    name: "auth-failure",
    records: [
      {
        operation: "STARTUP",
        target: "periscope",
        status: 28,
        error: true,
        attributes: { "db.user": "periscope", "db.sqlstate": "28P01", "db.pg.severity": "FATAL" },
      },
    ],
  },
  {
    name: "ssl-refused",
    records: [
      {
        operation: "SSL",
        target: "",
        status: 0,
        error: false,
        attributes: { "db.pg.encryption": "refused" },
      },
    ],
  },
];

describe("PostgreSQL fixtures recorded from the real server and pg client", () => {
  // Every request byte is in a record but the Terminate (5 bytes) a clean close ends with.
  describeFixtureReplays(
    postgres,
    cases.map((expected) => ({ ...expected, unansweredRequestBytes: { atMost: 5 } })),
  );

  it("never stores the password: SCRAM messages are counted, not read", () => {
    const fixture = postgres.loadFixture("extended-query");
    const startup = postgres.replay(fixture, 7).exchanges[0];
    expect(JSON.stringify(postgres.summarize(startup as NonNullable<typeof startup>))).not.toMatch(
      /SCRAM|p=|n,,/,
    );
  });
});
