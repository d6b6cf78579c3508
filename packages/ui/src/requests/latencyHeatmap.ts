// The latency heatmap (Coroot's drill-down): time across, duration up, each cell the
// requests that took that long in that slice. Cells are the collector's exact counts
// from the metric series (GET /api/v1/heatmap, parsed by heatmapScope.ts), not an
// estimate from sampled records. Rows are the API's base-2 ms rows (62.5 µs … 65 s);
// columns its step-wide buckets. The histograms are not split by outcome, so errors
// are known per column, not per cell.
import type { HeatmapBody } from "./heatmapScope";

export interface HeatmapRow {
  /** The row's duration bounds in ms: [lowMs, highMs). */
  lowMs: number;
  highMs: number;
  /** The API's first row also holds everything faster, its last everything slower. */
  openBelow: boolean;
  openAbove: boolean;
}

export interface HeatmapColumn {
  startMs: number;
  endMs: number;
  requests: number;
  errors: number;
}

export interface HeatmapCell {
  column: number;
  row: number;
  count: number;
}

export interface HeatmapGrid {
  /** Start of the first column and end of the last: whole API buckets. */
  fromMs: number;
  toMs: number;
  columns: HeatmapColumn[];
  /** Bottom (fastest) first. */
  rows: HeatmapRow[];
  /** Cells with at least one request, by row then column. */
  cells: HeatmapCell[];
  maxCount: number;
  requests: number;
  errors: number;
}

/** Fewer rows than this makes a flat band that hides the shape; pad around the data. */
const MIN_ROWS = 6;

/**
 * The grid of an API body, its rows narrowed to the durations that occur (at least
 * six, so one busy row does not fill the plot). Rows left out hold no request.
 */
export function buildHeatmap(body: HeatmapBody): HeatmapGrid {
  const stepMs = body.stepSeconds * 1000;
  const used = body.rows.map((_, row) => body.columns.some((c) => (c.counts[row] ?? 0) > 0));
  let low = used.indexOf(true);
  let high = used.lastIndexOf(true);
  if (low < 0) {
    // Nothing yet: show the rows around 1 ms, where most calls land.
    const oneMs = body.rows.findIndex((r) => r.fromMs >= 1);
    low = Math.max(0, oneMs);
    high = low;
  }
  while (high - low + 1 < Math.min(MIN_ROWS, body.rows.length)) {
    if (high < body.rows.length - 1) high++;
    else low--;
  }
  const rows: HeatmapRow[] = body.rows.slice(low, high + 1).map((r, i) => ({
    lowMs: r.fromMs,
    highMs: r.toMs,
    openBelow: low + i === 0,
    openAbove: low + i === body.rows.length - 1,
  }));
  const columns: HeatmapColumn[] = body.columns.map((c) => {
    const startMs = Date.parse(c.time);
    return { startMs, endMs: startMs + stepMs, requests: c.requests, errors: c.errors };
  });
  const cells: HeatmapCell[] = [];
  for (let row = 0; row < rows.length; row++) {
    body.columns.forEach((c, column) => {
      const count = c.counts[low + row] ?? 0;
      if (count > 0) cells.push({ column, row, count });
    });
  }
  return {
    fromMs: columns[0]?.startMs ?? Date.parse(body.from),
    toMs: columns.at(-1)?.endMs ?? Date.parse(body.to),
    columns,
    rows,
    cells,
    maxCount: cells.reduce((max, c) => Math.max(max, c.count), 0),
    requests: columns.reduce((sum, c) => sum + c.requests, 0),
    errors: columns.reduce((sum, c) => sum + c.errors, 0),
  };
}

/**
 * How strongly a cell is drawn, 0.12..1: log-scaled over the grid's busiest cell,
 * so a rare slow request stays visible beside thousands of fast ones.
 */
export function cellIntensity(count: number, maxCount: number): number {
  if (count <= 0 || maxCount <= 0) return 0;
  return 0.12 + 0.88 * (Math.log1p(count) / Math.log1p(maxCount));
}

/**
 * A row bound as people say it. The rows double from 1 ms, so from 1,024 ms on
 * they are 1, 2, 4 … 64 binary seconds: "1 s" reads better than "1.02 s" and is
 * within 2.4 % (the exact bounds are in each cell's tooltip). Below 1 ms: µs.
 */
export function durationBoundLabel(ms: number): string {
  if (ms >= 1024 && Number.isInteger(Math.log2(ms))) return `${ms / 1024} s`;
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(1))} s`;
  if (ms >= 1) return `${Number(ms.toFixed(1))} ms`;
  return `${Number((ms * 1000).toFixed(1))} µs`;
}

/** A row's exact bounds for its tooltip: "1,024–2,048 ms", "< 125 µs", "≥ 32,768 ms". */
export function rowRangeText(row: HeatmapRow): string {
  const ms = (value: number) =>
    value < 1 ? `${Number((value * 1000).toFixed(1))} µs` : `${value.toLocaleString("en")} ms`;
  if (row.openBelow) return `< ${ms(row.highMs)}`;
  if (row.openAbove) return `≥ ${ms(row.lowMs)}`;
  return boundsText(row.lowMs, row.highMs, ms);
}

function boundsText(low: number, high: number, ms: (value: number) => string): string {
  const lowText = ms(low);
  const highText = ms(high);
  // "1,024–2,048 ms", not "1,024 ms–2,048 ms".
  const unit = highText.slice(highText.lastIndexOf(" "));
  return lowText.endsWith(unit) ? `${lowText.slice(0, -unit.length)}–${highText}` : `${lowText}–${highText}`;
}

export interface HeatmapSelection {
  fromMs: number;
  toMs: number;
  /** Duration bounds as the API's minDurationMs / maxDurationMs take them; "" for open. */
  minDurationMs: string;
  maxDurationMs: string;
}

/** Column and row (clamped to the grid) under a point in a plot of `width` × `height`. */
export function cellAt(
  grid: HeatmapGrid,
  x: number,
  y: number,
  width: number,
  height: number,
): { column: number; row: number } {
  const count = Math.max(1, grid.columns.length);
  const column = Math.min(count - 1, Math.max(0, Math.floor((x / width) * count)));
  const fromBottom = Math.floor(((height - y) / height) * grid.rows.length);
  const row = Math.min(grid.rows.length - 1, Math.max(0, fromBottom));
  return { column, row };
}

/** The time window and duration bounds that two corner cells (either order) enclose. */
export function selectionOf(
  grid: HeatmapGrid,
  a: { column: number; row: number },
  b: { column: number; row: number },
): HeatmapSelection {
  const first = grid.columns[Math.min(a.column, b.column)];
  const last = grid.columns[Math.max(a.column, b.column)];
  const lowRow = grid.rows[Math.min(a.row, b.row)] as HeatmapRow;
  const highRow = grid.rows[Math.max(a.row, b.row)] as HeatmapRow;
  return {
    fromMs: first?.startMs ?? grid.fromMs,
    toMs: last?.endMs ?? grid.toMs,
    // The grid's end rows are open-ended: its rows span only the durations that
    // occur, and a request faster or slower than those still belongs to the selection.
    // Inside, a row's bounds are the API's (a histogram bucket straddling a bound was
    // counted where its middle is, so a request within ~1 % of it may list one row over).
    minDurationMs: Math.min(a.row, b.row) === 0 ? "" : millisText(lowRow.lowMs),
    maxDurationMs: Math.max(a.row, b.row) === grid.rows.length - 1 ? "" : millisText(highRow.highMs),
  };
}

/** At most six decimals: the API's minDurationMs pattern. */
function millisText(ms: number): string {
  return String(Number(ms.toFixed(6)));
}

/** Cell rectangle bounds covered by a selection, for drawing it back from the URL. */
export function selectionCells(
  grid: HeatmapGrid,
  selection: { fromMs: number; toMs: number; minDurationMs: number; maxDurationMs: number },
): { firstColumn: number; lastColumn: number; lowRow: number; highRow: number } | undefined {
  const inside = grid.columns
    .map((c, index) => ({ c, index }))
    .filter(({ c }) => c.endMs > selection.fromMs && c.startMs < selection.toMs);
  const firstColumn = inside[0]?.index;
  const lastColumn = inside.at(-1)?.index;
  if (firstColumn === undefined || lastColumn === undefined) return undefined;
  let lowRow = 0;
  let highRow = grid.rows.length - 1;
  grid.rows.forEach((row, index) => {
    if (row.lowMs <= selection.minDurationMs) lowRow = index;
    if (Number.isFinite(selection.maxDurationMs) && row.highMs >= selection.maxDurationMs && index < highRow)
      highRow = index;
  });
  return { firstColumn, lastColumn, lowRow, highRow: Math.max(lowRow, highRow) };
}
