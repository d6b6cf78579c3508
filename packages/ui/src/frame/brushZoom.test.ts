import { describe, expect, it } from "vitest";
import { brushToRange } from "./brushZoom";

// A 600 px plot over 10 minutes: 1 px = 1 s.
const PLOT = { widthPx: 600, domainFrom: Date.UTC(2026, 11, 8, 2), domainTo: Date.UTC(2026, 11, 8, 2, 10) };

describe("brushToRange", () => {
  it("a left-to-right drag selects the instants under it", () => {
    expect(brushToRange({ ...PLOT, startPx: 60, endPx: 180 })).toEqual({
      kind: "absolute",
      from: PLOT.domainFrom + 60_000,
      to: PLOT.domainFrom + 180_000,
    });
  });

  it("a right-to-left drag selects the same span", () => {
    expect(brushToRange({ ...PLOT, startPx: 180, endPx: 60 })).toEqual(
      brushToRange({ ...PLOT, startPx: 60, endPx: 180 }),
    );
  });

  it("a drag past the plot's edges is clamped to the plot", () => {
    expect(brushToRange({ ...PLOT, startPx: -50, endPx: 900 })).toEqual({
      kind: "absolute",
      from: PLOT.domainFrom,
      to: PLOT.domainTo,
    });
  });

  it("a click-sized drag is not a zoom", () => {
    expect(brushToRange({ ...PLOT, startPx: 100, endPx: 103 })).toBeUndefined();
  });

  it("rounds outward to whole seconds", () => {
    const range = brushToRange({ ...PLOT, widthPx: 700, startPx: 10.3, endPx: 20.7 });
    if (range === undefined) throw new Error("expected a range");
    expect(range.from % 1000).toBe(0);
    expect(range.to % 1000).toBe(0);
    expect(range.from).toBeLessThanOrEqual(PLOT.domainFrom + (10.3 * 600_000) / 700);
    expect(range.to).toBeGreaterThanOrEqual(PLOT.domainFrom + (20.7 * 600_000) / 700);
  });

  it("widens a sub-second selection on a very short domain to one second", () => {
    const range = brushToRange({
      widthPx: 1000,
      domainFrom: 1_700_000_000_000,
      domainTo: 1_700_000_000_500,
      startPx: 100,
      endPx: 200,
    });
    expect(range && range.to - range.from).toBe(1000);
  });

  it("an empty or zero-width plot is not a zoom", () => {
    expect(brushToRange({ ...PLOT, widthPx: 0, startPx: 0, endPx: 10 })).toBeUndefined();
    expect(brushToRange({ ...PLOT, domainTo: PLOT.domainFrom, startPx: 0, endPx: 10 })).toBeUndefined();
  });
});
