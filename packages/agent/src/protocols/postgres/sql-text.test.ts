import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_STATEMENT_LENGTH, maskSqlLiterals, sqlVerb, statementTarget } from "./sql-text.js";

describe("sqlVerb", () => {
  it.each([
    ["SELECT 1", "SELECT"],
    ["  insert into t values (1)", "INSERT"],
    ["-- note\nUPDATE t SET a = 1", "UPDATE"],
    ["/* hint */ delete from t", "DELETE"],
    ["(SELECT 1) UNION (SELECT 2)", "SELECT"],
    ["WITH x AS (SELECT 1) SELECT * FROM x", "WITH"],
    ["", ""],
    ["   ", ""],
    ["42", ""],
  ])("%j → %j", (sql, verb) => expect(sqlVerb(sql)).toBe(verb));
});

describe("maskSqlLiterals", () => {
  it.each([
    ["SELECT * FROM t WHERE name = 'bolt' AND id = 42", "SELECT * FROM t WHERE name = ? AND id = ?"],
    ["SELECT 'it''s', E'a\\'b', X'ff', 1.5e3, .5, 0x1F", "SELECT ?, ?, ?, ?, ?, ?"],
    ["SELECT $$secret$$, $tag$x$y$tag$ FROM t1", "SELECT ?, ? FROM t1"],
    ['SELECT "col 2", t1.c3 FROM "t 4" WHERE x = $1', 'SELECT "col 2", t1.c3 FROM "t 4" WHERE x = $1'],
    ["SELECT 1 -- keep 'comment'\n", "SELECT ? -- keep 'comment'\n"],
    ["SELECT 'unterminated", "SELECT ?"],
  ])("%j → %j", (sql, masked) => expect(maskSqlLiterals(sql)).toBe(masked));

  it("treats double quotes as strings where the dialect says so (MySQL)", () => {
    expect(maskSqlLiterals('SELECT "secret" FROM t', { doubleQuotedStrings: true })).toBe("SELECT ? FROM t");
  });

  it("never throws and never lets a quoted literal through", () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (prefix, secret) => {
        const clean = secret.replace(/['\\]/g, "");
        fc.pre(clean.length > 3 && !prefix.includes(clean));
        const masked = maskSqlLiterals(`${prefix.replace(/['"$\\\-/#]/g, "")} '${clean}'`);
        expect(masked).not.toContain(clean);
      }),
      { numRuns: 500 },
    );
  });
});

describe("statementTarget", () => {
  it("bounds the text and masks only when asked", () => {
    const long = `SELECT '${"x".repeat(5000)}'`;
    expect(statementTarget(long)).toHaveLength(MAX_STATEMENT_LENGTH);
    expect(statementTarget(long, { maskLiterals: true })).toBe("SELECT ?");
  });
});
