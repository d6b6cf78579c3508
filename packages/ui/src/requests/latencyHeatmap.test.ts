import { describe, expect, it } from "vitest";
import slowMinute from "../fixtures/heatmap-frontend-slow-minute.json";
import { type HeatmapBody, parseHeatmap } from "./heatmapScope";
import {
  buildHeatmap,
  cellAt,
  cellIntensity,
  durationBoundLabel,
  rowRangeText,
  selectionCells,
  selectionOf,
} from "./latencyHeatmap";

/** Five minutes of shop/frontend: fast calls throughout, a slow burst with errors at 10:02. */
const SLOW_MINUTE = parseHeatmap(slowMinute) as HeatmapBody;
const MINUTE = 60_000;
const T0 = Date.parse("2026-12-08T10:00:00.000Z");

describe("buildHeatmap", () => {
  const grid = buildHeatmap(SLOW_MINUTE);

  it("keeps the API's exact counts in their cells", () => {
    const at = (column: number, lowMs: number) =>
      grid.cells.find((c) => c.column === column && grid.rows[c.row]?.lowMs === lowMs)?.count;
    expect(at(0, 1)).toBe(120);
    expect(at(2, 512)).toBe(9);
    expect(at(2, 1024)).toBe(1);
    expect(at(1, 256)).toBe(3);
    expect(grid.cells.reduce((sum, c) => sum + c.count, 0)).toBe(grid.requests);
    expect(grid.requests).toBe(750);
    expect(grid.maxCount).toBe(130);
  });

  it("marks errors per column, as the series know them", () => {
    expect(grid.columns.map((c) => c.errors)).toEqual([0, 2, 12, 0, 1]);
    expect(grid.errors).toBe(15);
  });

  it("spans whole API buckets across and only the durations that occur up", () => {
    expect(grid.fromMs).toBe(T0);
    expect(grid.toMs).toBe(T0 + 5 * MINUTE);
    expect(grid.columns[2]).toMatchObject({ startMs: T0 + 2 * MINUTE, endMs: T0 + 3 * MINUTE });
    expect(grid.rows.map((r) => r.lowMs)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);
    expect(grid.rows.some((r) => r.openBelow || r.openAbove)).toBe(false);
  });

  it("pads a narrow band to six rows, and shows rows around 1 ms when there is nothing", () => {
    const fastOnly = { ...SLOW_MINUTE, columns: SLOW_MINUTE.columns.slice(0, 1) };
    expect(buildHeatmap(fastOnly).rows.map((r) => r.lowMs)).toEqual([1, 2, 4, 8, 16, 32]);
    const empty = {
      ...SLOW_MINUTE,
      columns: SLOW_MINUTE.columns.map((c) => ({
        ...c,
        requests: 0,
        errors: 0,
        counts: c.counts.map(() => 0),
      })),
    };
    const grid0 = buildHeatmap(empty);
    expect(grid0.cells).toEqual([]);
    expect(grid0.rows).toHaveLength(6);
    expect(grid0.rows[0]?.lowMs).toBe(1);
  });

  it("knows the API's end rows are open-ended", () => {
    const slowest = {
      ...SLOW_MINUTE,
      columns: [{ ...SLOW_MINUTE.columns[0], counts: SLOW_MINUTE.rows.map((_, i) => (i === 19 ? 1 : 0)) }],
    } as HeatmapBody;
    const rows = buildHeatmap(slowest).rows;
    expect(rows.at(-1)).toMatchObject({ lowMs: 32768, openAbove: true });
    expect(rowRangeText(rows.at(-1) as (typeof rows)[number])).toBe("≥ 32,768 ms");
  });
});

describe("labels", () => {
  it("names power-of-two rows readably: 1 s, not 1.02 s", () => {
    expect(durationBoundLabel(1024)).toBe("1 s");
    expect(durationBoundLabel(2048)).toBe("2 s");
    expect(durationBoundLabel(65536)).toBe("64 s");
    expect(durationBoundLabel(512)).toBe("512 ms");
    expect(durationBoundLabel(1)).toBe("1 ms");
    expect(durationBoundLabel(0.0625)).toBe("62.5 µs");
    expect(durationBoundLabel(0.5)).toBe("500 µs");
  });

  it("gives a cell's exact row bounds in its tooltip", () => {
    expect(rowRangeText({ lowMs: 1024, highMs: 2048, openBelow: false, openAbove: false })).toBe(
      "1,024–2,048 ms",
    );
    expect(rowRangeText({ lowMs: 0.5, highMs: 1, openBelow: false, openAbove: false })).toBe("500 µs–1 ms");
    expect(rowRangeText({ lowMs: 0.0625, highMs: 0.125, openBelow: true, openAbove: false })).toBe(
      "< 125 µs",
    );
  });

  it("draws a lone request visibly beside the busiest cell", () => {
    expect(cellIntensity(0, 130)).toBe(0);
    expect(cellIntensity(130, 130)).toBe(1);
    expect(cellIntensity(1, 130)).toBeGreaterThan(0.2);
  });
});

describe("selection", () => {
  const grid = buildHeatmap(SLOW_MINUTE);
  const top = grid.rows.length - 1;

  it("maps a point to its cell, y growing downward", () => {
    expect(cellAt(grid, 0, 109, 500, 110)).toEqual({ column: 0, row: 0 });
    expect(cellAt(grid, 499, 0, 500, 110)).toEqual({ column: 4, row: top });
    expect(cellAt(grid, -50, 500, 500, 110)).toEqual({ column: 0, row: 0 });
  });

  it("turns two corners into whole columns and duration bounds, the grid's ends open", () => {
    expect(selectionOf(grid, { column: 3, row: top }, { column: 2, row: top - 2 })).toEqual({
      fromMs: T0 + 2 * MINUTE,
      toMs: T0 + 4 * MINUTE,
      minDurationMs: "256",
      maxDurationMs: "",
    });
    expect(selectionOf(grid, { column: 0, row: 0 }, { column: 0, row: 1 })).toEqual({
      fromMs: T0,
      toMs: T0 + MINUTE,
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
    expect(
      selectionCells(grid, { fromMs: 0, toMs: 1, minDurationMs: 0, maxDurationMs: Number.POSITIVE_INFINITY }),
    ).toBeUndefined();
  });
});
