import { describe, expect, it } from "vitest";
import { RecordRedactor } from "./record-redactor.js";
import { DEFAULT_REDACTION_RULES, parseRedactionRules, REDACTED } from "./redaction-rules.js";
import type { RequestRecord } from "./request-record.js";

const endpoint = { ip: "127.0.0.1", port: 0, service: "", pid: 0, processName: "" };

function record(fields: Partial<RequestRecord>): RequestRecord {
  return {
    protocol: "http",
    side: "client",
    startMonotonicNs: 1n,
    durationNs: 1n,
    client: endpoint,
    server: endpoint,
    operation: "GET",
    target: "/",
    status: 200,
    error: false,
    requestBytes: 1,
    responseBytes: 1,
    attributes: {},
    traceId: "",
    spanId: "",
    parentSpanId: "",
    truncated: false,
    ...fields,
  };
}

describe("RecordRedactor", () => {
  it("by default replaces token query parameters and header attributes of credential headers", () => {
    const redacted = new RecordRedactor(DEFAULT_REDACTION_RULES).apply(
      record({
        target: "/login?user=ann&Access_Token=abc.def&api%5Fkey=k1&page=2#top",
        attributes: {
          "http.host": "shop:8080",
          "http.request.header.authorization": "Bearer abc",
          "http.response.header.set-cookie": "session=1",
          "http.request.header.accept": "text/html",
        },
      }),
    );
    expect(redacted.target).toBe(`/login?user=ann&Access_Token=${REDACTED}&api%5Fkey=${REDACTED}&page=2#top`);
    expect(redacted.attributes).toEqual({
      "http.host": "shop:8080",
      "http.request.header.authorization": REDACTED,
      "http.response.header.set-cookie": REDACTED,
      "http.request.header.accept": "text/html",
    });
  });

  it("leaves records alone that nothing matches, and SQL unmasked unless asked", () => {
    const sql = record({
      protocol: "postgres",
      operation: "SELECT",
      target: "SELECT * FROM t WHERE id = 42",
    });
    expect(new RecordRedactor(DEFAULT_REDACTION_RULES).apply({ ...sql }).target).toBe(sql.target);
    const plain = record({ target: "/items?page=2", attributes: { "http.user_agent": "curl/8" } });
    expect(new RecordRedactor(DEFAULT_REDACTION_RULES).apply(structuredClone(plain))).toEqual(plain);
  });

  it("applies the operator's rules: header names, dropped attributes, patterns and SQL literal masking", () => {
    const redactor = new RecordRedactor(
      parseRedactionRules(
        JSON.stringify({
          headers: ["User-Agent"],
          dropAttributes: ["http.version"],
          maskPatterns: ["\\b\\d{4}-\\d{4}-\\d{4}-\\d{4}\\b", "ssn=[0-9-]+"],
          maskSqlLiterals: true,
        }),
      ),
    );
    const http = redactor.apply(
      record({
        target: "/pay/4111-1111-1111-1111?ssn=123-45-6789",
        attributes: { "http.user_agent": "curl/8", "http.version": "1.1", "http.host": "pay" },
      }),
    );
    expect(http.target).toBe(`/pay/${REDACTED}?${REDACTED}`);
    expect(http.attributes).toEqual({ "http.user_agent": REDACTED, "http.host": "pay" });
    const postgres = redactor.apply(
      record({ protocol: "postgres", target: `SELECT * FROM "Users" WHERE name = 'ann' AND id = 42` }),
    );
    expect(postgres.target).toBe(`SELECT * FROM "Users" WHERE name = ? AND id = ?`);
    // MySQL reads "ann" as a string literal.
    const mysql = redactor.apply(
      record({ protocol: "mysql", target: `SELECT 1 FROM users WHERE name = "ann"` }),
    );
    expect(mysql.target).toBe("SELECT ? FROM users WHERE name = ?");
  });
});
