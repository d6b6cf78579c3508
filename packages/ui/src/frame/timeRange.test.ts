import { describe, expect, it } from "vitest";
import { describeRange, liveTickMs, resolveRange, toAbsolute, zoomOut } from "./timeRange";

const NOW = Date.UTC(2026, 11, 8, 2, 30);

describe("resolveRange", () => {
  it("relative ranges end now", () => {
    const { from, to } = resolveRange({ kind: "relative", preset: "1h" }, NOW);
    expect(to.getTime()).toBe(NOW);
    expect(from.getTime()).toBe(NOW - 3_600_000);
  });

  it("absolute ranges ignore the clock", () => {
    const { from, to } = resolveRange({ kind: "absolute", from: 1, to: 2 }, NOW);
    expect([from.getTime(), to.getTime()]).toEqual([1, 2]);
  });
});

describe("liveTickMs", () => {
  it("ticks about 90 times per span, between 5 s and 60 s; never when absolute", () => {
    expect(liveTickMs({ kind: "relative", preset: "5m" })).toBe(5_000);
    expect(liveTickMs({ kind: "relative", preset: "15m" })).toBe(10_000);
    expect(liveTickMs({ kind: "relative", preset: "7d" })).toBe(60_000);
    expect(liveTickMs({ kind: "absolute", from: 0, to: 1 })).toBeUndefined();
  });
});

describe("toAbsolute and zoomOut", () => {
  it("freezes a live range at now", () => {
    expect(toAbsolute({ kind: "relative", preset: "15m" }, NOW)).toEqual({
      kind: "absolute",
      from: NOW - 900_000,
      to: NOW,
    });
  });

  it("doubles the span around its centre but never past now", () => {
    const past = { kind: "absolute", from: NOW - 7_200_000, to: NOW - 3_600_000 } as const;
    expect(zoomOut(past, NOW)).toEqual({ kind: "absolute", from: NOW - 9_000_000, to: NOW - 1_800_000 });
    expect(zoomOut({ kind: "relative", preset: "1h" }, NOW)).toEqual({
      kind: "absolute",
      from: NOW - 7_200_000,
      to: NOW,
    });
  });
});

describe("describeRange", () => {
  it("names presets and prints absolute ranges in the given zone", () => {
    expect(describeRange({ kind: "relative", preset: "24h" })).toBe("Last 24 hours");
    const sameDay = {
      kind: "absolute",
      from: Date.UTC(2026, 11, 8, 2),
      to: Date.UTC(2026, 11, 8, 2, 15),
    } as const;
    expect(describeRange(sameDay, "UTC")).toBe("08 Dec 02:00:00 – 02:15:00");
    const twoDays = {
      kind: "absolute",
      from: Date.UTC(2026, 11, 7, 23),
      to: Date.UTC(2026, 11, 8, 1),
    } as const;
    expect(describeRange(twoDays, "UTC")).toBe("07 Dec 23:00:00 – 08 Dec 01:00:00");
  });
});
