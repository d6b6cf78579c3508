import { describe, expect, it } from "vitest";
import { withSqlcommenter } from "./postgres.js";

describe("withSqlcommenter", () => {
  it("appends the traceparent as sqlcommenter's trailing comment", () => {
    const context = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", flags: "01" };
    expect(withSqlcommenter("SELECT 1", context)).toBe(
      "SELECT 1 /*traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'*/",
    );
  });
});
