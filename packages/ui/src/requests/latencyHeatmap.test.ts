import { describe, expect, it } from "vitest";
import {
  buildHeatmap,
  cellAt,
  durationExponent,
  type HeatmapRecord,
  heatmapSlices,
  selectionCells,
  selectionOf,
} from "./latencyHeatmap";

const RANGE = { fromMs: 0, toMs: 60_000 };

/** A minute of traffic: fast calls throughout, a slow sampled error burst at 30 s. */
const MINUTE_WITH_SLOW_ERRORS: HeatmapRecord[] = [
  { timeMs: 1_000, durationMs: 3, error: false, sampleWeight: 1 },
  { timeMs: 1_500, durationMs: 3.9, error: false, sampleWeight: 10 },
  { timeMs: 30_000, durationMs: 300, error: true, sampleWeight: 2 },
  { timeMs: 30_500, durationMs: 260, error: false, sampleWeight: 1 },
  { timeMs: 59_999, durationMs: 1, error: false, sampleWeight: 1 },
  { timeMs: 60_000, durationMs: 1, error: false, sampleWeight: 1 },
];

describe("durationExponent", () => {
  it("puts a duration in its doubling", () => {
    expect(durationExponent(1)).toBe(0);
    expect(durationExponent(3.9)).toBe(1);
    expect(durationExponent(256)).toBe(8);
    expect(durationExponent(0)).toBe(-6);
    expect(durationExponent(1e9)).toBe(16);
  });
});

describe("buildHeatmap", () => {
  const grid = buildHeatmap(MINUTE_WITH_SLOW_ERRORS, RANGE, 6);

  it("spans the data's durations in base-2 rows", () => {
    expect(grid.rows[0]).toEqual({ lowMs: 1, highMs: 2 });
    expect(grid.rows.at(-1)).toEqual({ lowMs: 256, highMs: 512 });
    expect(grid.outside).toBe(1);
  });

  it("weights cells by sample weight and counts errors apart", () => {
    const fast = grid.cells.find((c) => c.column === 0 && c.row === 1);
    expect(fast).toMatchObject({ estimated: 11, records: 2, estimatedErrors: 0 });
    const slow = grid.cells.find((c) => c.column === 3 && c.row === 8);
    expect(slow).toMatchObject({ estimated: 3, estimatedErrors: 2, records: 2 });
    expect(grid.maxEstimated).toBe(11);
  });

  it("gives each cell its share of its column, so a sampled column still shows its shape", () => {
    const slow = grid.cells.find((c) => c.column === 3 && c.row === 8);
    expect(slow?.share).toBe(1);
    const lastColumn = grid.cells.filter((c) => c.column === 5);
    expect(lastColumn.map((c) => c.share)).toEqual([1]);
    const firstColumn = grid.cells.filter((c) => c.column === 0);
    expect(firstColumn.reduce((sum, c) => sum + c.share, 0)).toBeCloseTo(1);
  });

  it("has at least six rows when the data is narrow or empty", () => {
    expect(buildHeatmap([], RANGE, 10).rows).toHaveLength(6);
    expect(
      buildHeatmap([{ timeMs: 5, durationMs: 1e9, error: false, sampleWeight: 1 }], RANGE, 10).rows.at(-1)
        ?.lowMs,
    ).toBe(2 ** 16);
  });
});

describe("selection", () => {
  const grid = buildHeatmap(MINUTE_WITH_SLOW_ERRORS, RANGE, 6);

  it("maps a point to its cell, y growing downward", () => {
    expect(cellAt(grid, 0, 89, 600, 90)).toEqual({ column: 0, row: 0 });
    expect(cellAt(grid, 599, 0, 600, 90)).toEqual({ column: 5, row: 8 });
    expect(cellAt(grid, -50, 500, 600, 90)).toEqual({ column: 0, row: 0 });
  });

  it("turns two corners into a time window and duration bounds", () => {
    expect(selectionOf(grid, { column: 4, row: 8 }, { column: 3, row: 7 })).toEqual({
      fromMs: 30_000,
      toMs: 50_000,
      minDurationMs: "128",
      // the slowest row is open-ended: anything slower belongs to it too
      maxDurationMs: "",
    });
    expect(selectionOf(grid, { column: 0, row: 0 }, { column: 0, row: 1 })).toMatchObject({
      minDurationMs: "",
      maxDurationMs: "4",
    });
  });

  it("draws a selection back onto its cells", () => {
    const sel = selectionOf(grid, { column: 1, row: 2 }, { column: 2, row: 3 });
    expect(
      selectionCells(grid, {
        fromMs: sel.fromMs,
        toMs: sel.toMs,
        minDurationMs: Number(sel.minDurationMs),
        maxDurationMs: Number(sel.maxDurationMs),
      }),
    ).toEqual({ firstColumn: 1, lastColumn: 2, lowRow: 2, highRow: 3 });
  });
});

describe("heatmapSlices", () => {
  it("cuts the range into one slice per column, end to end", () => {
    const slices = heatmapSlices(1000, 2001, 4);
    expect(slices).toHaveLength(4);
    expect(slices[0]?.fromMs).toBe(1000);
    expect(slices.at(-1)?.toMs).toBe(2001);
    for (let i = 1; i < slices.length; i++) expect(slices[i]?.fromMs).toBe(slices[i - 1]?.toMs);
  });
});
