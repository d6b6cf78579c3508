import { describe, expect, it } from "vitest";
import { splitSqlCommenter } from "./sqlcommenter.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";

describe("splitSqlCommenter", () => {
  it("reads traceparent from the trailing comment and strips the comment from the statement", () => {
    const sql = `INSERT INTO orders (id) VALUES ($1) /*traceparent='00-${TRACE}-${SPAN}-01',tracestate='congo%3Dt61rcWkgMzE'*/`;
    expect(splitSqlCommenter(sql)).toEqual({
      sql: "INSERT INTO orders (id) VALUES ($1)",
      trace: { traceId: TRACE, parentSpanId: SPAN },
    });
    expect(splitSqlCommenter(`SELECT 1 /*traceparent='00-${TRACE}-${SPAN}-01'*/;`).sql).toBe("SELECT 1");
  });

  it("decodes URL-encoded values, as sqlcommenter writes them", () => {
    const encoded = `SELECT 1 /*traceparent='00-${TRACE}-${SPAN}-01',route='%2Fcheckout'*/`;
    expect(splitSqlCommenter(encoded).trace?.traceId).toBe(TRACE);
  });

  it("strips a sqlcommenter comment without a usable traceparent, counting no trace", () => {
    for (const bad of [
      `00-${"0".repeat(32)}-${SPAN}-01`,
      `ff-${TRACE}-${SPAN}-01`,
      `00-${TRACE.slice(2)}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-01-extra`,
    ]) {
      expect(splitSqlCommenter(`SELECT 1 /*traceparent='${bad}'*/`)).toEqual({
        sql: "SELECT 1",
        trace: undefined,
      });
    }
  });

  it("leaves statements with ordinary comments, or none, as they are", () => {
    for (const sql of [
      "SELECT 1",
      "SELECT 1 /* a hint for the reader */",
      "SELECT /*+ INDEX(t) */ * FROM t",
      "SELECT 1 /* key='unterminated */",
      "SELECT '/*traceparent=''x''*/'",
    ]) {
      expect(splitSqlCommenter(sql)).toEqual({ sql, trace: undefined });
    }
  });
});
