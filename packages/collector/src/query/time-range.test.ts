import { describe, expect, it } from "vitest";
import { ApiError } from "../http/api-error.js";
import { DEFAULT_RANGE_MS, parseTimeRange } from "./time-range.js";

const now = Date.parse("2025-01-10T12:00:00.000Z");

function rejection(query: { from?: string; to?: string }): string {
  try {
    parseTimeRange(query, now);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).message;
  }
  throw new Error("expected the range to be rejected");
}

describe("parseTimeRange", () => {
  it("defaults to the last 15 minutes", () => {
    expect(parseTimeRange({}, now)).toEqual({ fromMs: now - DEFAULT_RANGE_MS, toMs: now });
  });

  it("defaults from to 15 minutes before an explicit to", () => {
    expect(parseTimeRange({ to: "1736500000000" }, now)).toEqual({
      fromMs: 1736500000000 - DEFAULT_RANGE_MS,
      toMs: 1736500000000,
    });
  });

  it("accepts epoch milliseconds and ISO-8601 with offsets", () => {
    expect(
      parseTimeRange({ from: "2025-01-10T11:00:00Z", to: "2025-01-10T13:30:00.250+01:00" }, now),
    ).toEqual({
      fromMs: Date.parse("2025-01-10T11:00:00Z"),
      toMs: Date.parse("2025-01-10T12:30:00.250Z"),
    });
  });

  it("rejects loose date forms Date.parse would accept", () => {
    expect(rejection({ from: "March 7, 2025" })).toMatch(
      /from must be epoch milliseconds or an ISO-8601 timestamp/,
    );
    expect(rejection({ to: "-5" })).toMatch(/^to must be/);
    expect(rejection({ to: "1.5" })).toMatch(/^to must be/);
  });

  it("rejects an empty or inverted range", () => {
    expect(rejection({ from: "1000", to: "1000" })).toBe("from must be earlier than to");
    expect(rejection({ from: "2000", to: "1000" })).toBe("from must be earlier than to");
  });

  it("allows exactly 31 days and no more", () => {
    const days31 = 31 * 24 * 3600 * 1000;
    expect(parseTimeRange({ from: "0", to: String(days31) }, now)).toEqual({ fromMs: 0, toMs: days31 });
    expect(rejection({ from: "0", to: String(days31 + 1) })).toBe("the time range must be at most 31 days");
  });
});
