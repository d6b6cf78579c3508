import { describe, expect, it } from "vitest";
import { loadFixture, replay, summarize } from "./fixtures/replay.js";

interface Expected {
  name: string;
  records: Array<{ operation: string; target: string; status: number; error: boolean; attributes?: object }>;
}

const STARTUP = {
  operation: "STARTUP",
  target: "periscope",
  status: 0,
  error: false,
  attributes: { "db.user": "periscope", "db.name": "periscope", "db.pg.authentication": "sasl" },
};

const cases: Expected[] = [
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

const TERMINATE_BYTES = 5;

describe("PostgreSQL fixtures recorded from the real server and pg client", () => {
  for (const expected of cases) {
    describe(expected.name, () => {
      const fixture = loadFixture(expected.name);
      const longest = Math.max(fixture.requests.length, fixture.responses.length);
      const whole = replay(fixture, longest);

      it("yields the expected records when replayed whole", () => {
        expect(whole.exchanges.map(summarize)).toMatchObject(expected.records);
        expect(whole.exchanges).toHaveLength(expected.records.length);
        expect(whole.counters).toEqual({ parseErrors: 0, streamGaps: 0 });
        expect(whole.exchanges.every((exchange) => !exchange.truncated)).toBe(true);
        const responseBytes = whole.exchanges.reduce((sum, exchange) => sum + exchange.response.wireBytes, 0);
        expect(responseBytes).toBe(fixture.responses.length);
        const requestBytes = whole.exchanges.reduce((sum, exchange) => sum + exchange.request.wireBytes, 0);
        // Every request byte is in a record but the Terminate a clean close ends with.
        expect(fixture.requests.length - requestBytes).toBeLessThanOrEqual(TERMINATE_BYTES);
      });

      it("yields the same records at every chunk size, byte by byte included", () => {
        const reference = whole.exchanges.map(summarize);
        for (let chunkSize = 1; chunkSize <= longest; chunkSize++) {
          const result = replay(fixture, chunkSize);
          expect(result.exchanges.map(summarize), `chunk size ${chunkSize}`).toEqual(reference);
          expect(result.counters.parseErrors, `chunk size ${chunkSize}`).toBe(0);
        }
      });

      it("stamps each record from its first request byte to its last response byte", () => {
        const byteByByte = replay(fixture, 1);
        // replay() stamps byte i of the request stream 1_000_000 + i, of the response stream 2_000_000 + i.
        expect(byteByByte.exchanges[0]?.startNs).toBe(1_000_000n);
        expect(byteByByte.exchanges.at(-1)?.endNs).toBe(2_000_000n + BigInt(fixture.responses.length - 1));
      });
    });
  }

  it("never stores the password: SCRAM messages are counted, not read", () => {
    const fixture = loadFixture("extended-query");
    const startup = replay(fixture, 7).exchanges[0];
    expect(JSON.stringify(summarize(startup as NonNullable<typeof startup>))).not.toMatch(/SCRAM|p=|n,,/);
  });
});
