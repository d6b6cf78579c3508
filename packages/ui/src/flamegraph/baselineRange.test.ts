import { describe, expect, it } from "vitest";
import { baselineRange, flameGraphUrl } from "./baselineRange";

const current = { fromMs: Date.parse("2026-12-08T02:00:00Z"), toMs: Date.parse("2026-12-08T02:15:00Z") };
const none = { from: "", to: "" };

describe("baselineRange", () => {
  it("takes the span just before the current one", () => {
    expect(baselineRange("previous", current, none)).toEqual({
      ok: true,
      range: { fromMs: Date.parse("2026-12-08T01:45:00Z"), toMs: current.fromMs },
    });
  });

  it("shifts by a day or a week", () => {
    const day = baselineRange("day", current, none);
    expect(day.ok && new Date(day.range.fromMs).toISOString()).toBe("2026-12-07T02:00:00.000Z");
    const week = baselineRange("week", current, none);
    expect(week.ok && new Date(week.range.toMs).toISOString()).toBe("2026-12-01T02:15:00.000Z");
  });

  it("uses the instants picked, and says what is wrong with them", () => {
    expect(
      baselineRange("custom", current, { from: "2026-12-08T00:00:00Z", to: "2026-12-08T00:10:00Z" }),
    ).toEqual({
      ok: true,
      range: { fromMs: Date.parse("2026-12-08T00:00:00Z"), toMs: Date.parse("2026-12-08T00:10:00Z") },
    });
    expect(baselineRange("custom", current, none)).toEqual({
      ok: false,
      error: "pick both ends of the baseline range",
    });
    expect(
      baselineRange("custom", current, { from: "2026-12-08T01:00:00Z", to: "2026-12-08T00:00:00Z" }),
    ).toEqual({
      ok: false,
      error: "the baseline must start before it ends",
    });
  });
});

describe("flameGraphUrl", () => {
  it("asks the collector for a scope over instants", () => {
    expect(flameGraphUrl({ service: "shop/checkout", pid: 42 }, current)).toBe(
      "/api/v1/flamegraph?from=2026-12-08T02%3A00%3A00.000Z&to=2026-12-08T02%3A15%3A00.000Z&service=shop%2Fcheckout&pid=42",
    );
    expect(flameGraphUrl({}, current)).not.toContain("service");
  });
});
