// The latency heatmap (Coroot's drill-down): time across, duration up, each cell the
// requests that took that long in that slice. Durations fall in base-2 buckets, the
// metric series' own scale (collector migration 0013), so a cell spans one doubling.
//
// Cells are estimated from request records, each standing for `sampleWeight`
// requests: the API exposes no per-bucket histogram, and the records are the only
// source that carries both time and duration. The records are fetched one page per
// column (heatmapSlices), so a busy minute cannot crowd the others out; a column
// whose page was full is a sample of that slice, so colour shows each column's
// share (its latency distribution), not absolute counts. Exact totals come from
// the metric series (RED) and are drawn beside it, never summed from these cells.

export interface HeatmapRecord {
  timeMs: number;
  durationMs: number;
  error: boolean;
  sampleWeight: number;
}

export interface HeatmapRow {
  /** The bucket's duration bounds in ms: [lowMs, highMs). */
  lowMs: number;
  highMs: number;
}

export interface HeatmapCell {
  column: number;
  row: number;
  /** This cell's part of its column's estimated requests, 0..1: what its colour shows. */
  share: number;
  /** Requests these records stand for (sum of weights). */
  estimated: number;
  /** Of which errors (sum of the erroring records' weights). */
  estimatedErrors: number;
  records: number;
}

export interface HeatmapGrid {
  fromMs: number;
  toMs: number;
  columns: number;
  /** Bottom (fastest) first. */
  rows: HeatmapRow[];
  cells: HeatmapCell[];
  maxEstimated: number;
  /** Records that fell outside [from, to) and were left out. */
  outside: number;
}

/** Fastest and slowest bucket exponents: 2^-6 ms ≈ 16 µs up to 2^16 ms ≈ 65 s and beyond. */
export const MIN_EXPONENT = -6;
export const MAX_EXPONENT = 16;
/** Fewer rows than this makes a flat band that hides the shape; pad upward. */
const MIN_ROWS = 6;

export function durationExponent(durationMs: number): number {
  if (!(durationMs > 0)) return MIN_EXPONENT;
  return Math.min(MAX_EXPONENT, Math.max(MIN_EXPONENT, Math.floor(Math.log2(durationMs))));
}

export function buildHeatmap(
  records: readonly HeatmapRecord[],
  range: { fromMs: number; toMs: number },
  columns: number,
): HeatmapGrid {
  const { fromMs, toMs } = range;
  const span = toMs - fromMs;
  const inside = records.filter((r) => r.timeMs >= fromMs && r.timeMs < toMs);
  let low = MAX_EXPONENT;
  let high = MIN_EXPONENT;
  for (const r of inside) {
    const e = durationExponent(r.durationMs);
    low = Math.min(low, e);
    high = Math.max(high, e);
  }
  if (inside.length === 0) {
    low = 0;
    high = MIN_ROWS - 1;
  }
  while (high - low + 1 < MIN_ROWS) {
    if (high < MAX_EXPONENT) high++;
    else low--;
  }
  const rows: HeatmapRow[] = [];
  for (let e = low; e <= high; e++) rows.push({ lowMs: 2 ** e, highMs: 2 ** (e + 1) });
  // The fastest row also holds anything quicker (a 0 ms record), the slowest anything slower.
  if (low === MIN_EXPONENT) (rows[0] as HeatmapRow).lowMs = 0;
  const byKey = new Map<number, HeatmapCell>();
  for (const r of inside) {
    const column = Math.min(columns - 1, Math.floor(((r.timeMs - fromMs) / span) * columns));
    const row = durationExponent(r.durationMs) - low;
    const key = row * columns + column;
    let cell = byKey.get(key);
    if (!cell) {
      cell = { column, row, share: 0, estimated: 0, estimatedErrors: 0, records: 0 };
      byKey.set(key, cell);
    }
    const weight = r.sampleWeight > 0 ? r.sampleWeight : 1;
    cell.estimated += weight;
    if (r.error) cell.estimatedErrors += weight;
    cell.records++;
  }
  const cells = [...byKey.values()].sort((a, b) => a.row - b.row || a.column - b.column);
  const columnTotals = new Map<number, number>();
  for (const c of cells) columnTotals.set(c.column, (columnTotals.get(c.column) ?? 0) + c.estimated);
  for (const c of cells) c.share = c.estimated / (columnTotals.get(c.column) ?? c.estimated);
  const maxEstimated = cells.reduce((max, c) => Math.max(max, c.estimated), 0);
  return { fromMs, toMs, columns, rows, cells, maxEstimated, outside: records.length - inside.length };
}

export interface HeatmapSelection {
  fromMs: number;
  toMs: number;
  /** Duration bounds as the API's minDurationMs / maxDurationMs take them. */
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
  const column = Math.min(grid.columns - 1, Math.max(0, Math.floor((x / width) * grid.columns)));
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
  const columnMs = (grid.toMs - grid.fromMs) / grid.columns;
  const first = Math.min(a.column, b.column);
  const last = Math.max(a.column, b.column);
  const lowRow = grid.rows[Math.min(a.row, b.row)] as HeatmapRow;
  const highRow = grid.rows[Math.max(a.row, b.row)] as HeatmapRow;
  return {
    fromMs: Math.floor(grid.fromMs + first * columnMs),
    toMs: Math.ceil(grid.fromMs + (last + 1) * columnMs),
    // The grid's end rows are open-ended: the rows span only the durations seen so
    // far, and a request faster or slower than those still belongs to the selection.
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
  const columnMs = (grid.toMs - grid.fromMs) / grid.columns;
  const firstColumn = Math.max(0, Math.floor((selection.fromMs - grid.fromMs) / columnMs));
  const lastColumn = Math.min(grid.columns - 1, Math.ceil((selection.toMs - grid.fromMs) / columnMs) - 1);
  if (lastColumn < firstColumn) return undefined;
  let lowRow = 0;
  let highRow = grid.rows.length - 1;
  grid.rows.forEach((row, index) => {
    if (row.lowMs <= selection.minDurationMs) lowRow = index;
    if (Number.isFinite(selection.maxDurationMs) && row.highMs >= selection.maxDurationMs && index < highRow)
      highRow = index;
  });
  return { firstColumn, lastColumn, lowRow, highRow: Math.max(lowRow, highRow) };
}

/** The time slice of each column: one API page is fetched per slice. */
export function heatmapSlices(
  fromMs: number,
  toMs: number,
  columns: number,
): { fromMs: number; toMs: number }[] {
  const width = (toMs - fromMs) / columns;
  return Array.from({ length: columns }, (_, i) => ({
    fromMs: Math.floor(fromMs + i * width),
    toMs: i === columns - 1 ? toMs : Math.floor(fromMs + (i + 1) * width),
  }));
}
