import { describe, expect, it } from "vitest";
import { rollupSource } from "./rollup-source.js";

const hour = Date.parse("2025-01-10T12:00:00Z");
const DAY = 86_400_000;
const s = (ms: number) => Math.floor(ms / 1000);

describe("rollupSource", () => {
  it("reads minutes only when the range holds no whole hour", () => {
    const source = rollupSource("edges", { fromMs: hour + 90_500, toMs: hour + 50 * 60_000 }, [], true, hour);
    expect(source.sql).not.toContain("metric_edges_1h");
    expect(source.params).toEqual({ rs_m_from: s(hour + 60_000), rs_m_to: s(hour + 50 * 60_000) });
  });

  it("reads whole hours hourly and the ragged ends by the minute", () => {
    const source = rollupSource(
      "services",
      { fromMs: hour - 25 * 60_000 + 10, toMs: hour + 2 * 3_600_000 + 90_001 },
      [],
      true,
      hour + 3 * 3_600_000,
    );
    expect(source.sql).toContain("FROM metric_services_1h");
    expect(source.params).toEqual({
      rs_head_from: s(hour - 25 * 60_000),
      rs_head_to: s(hour),
      rs_hours_from: s(hour),
      rs_hours_to: s(hour + 2 * 3_600_000),
      rs_tail_from: s(hour + 2 * 3_600_000),
      // A partly covered last minute is kept, as a minute overlapping the range.
      rs_tail_to: s(hour + 2 * 3_600_000 + 91_000),
    });
  });

  it("stays on minutes when asked to (buckets finer than an hour)", () => {
    const source = rollupSource(
      "endpoints",
      { fromMs: hour, toMs: hour + 5 * 3_600_000 },
      ["service = {service:String}"],
      false,
    );
    expect(source.sql).not.toContain("_1h");
    expect(source.sql).toContain("service = {service:String}");
  });

  it("reads an end older than the minute tier (30 days) as its whole hour, from the hourly table", () => {
    const range = { fromMs: hour - 25 * 60_000 + 10, toMs: hour + 2 * 3_600_000 + 90_001 };
    // 31 days later the minutes of both ends are gone; 29 days later they are not.
    const old = rollupSource("services", range, [], true, hour + 31 * DAY);
    expect(old.sql).not.toContain("metric_services_1m");
    expect(old.params).toEqual({ rs_hours_from: s(hour - 3_600_000), rs_hours_to: s(hour + 3 * 3_600_000) });
    const recent = rollupSource("services", range, [], true, hour + 29 * DAY);
    expect(recent.params).toMatchObject({ rs_head_from: s(hour - 25 * 60_000) });
  });
});
