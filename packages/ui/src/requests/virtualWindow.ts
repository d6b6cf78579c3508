// Which rows of a long list to render: only those in view plus a margin, with spacer
// heights standing in for the rest, so 10,000 rows cost as much as 40. Fixed row
// height keeps it arithmetic (no measuring).

export interface VirtualWindowInput {
  rowCount: number;
  rowHeight: number;
  scrollTop: number;
  viewportHeight: number;
  /** Rows rendered beyond each edge so fast scrolling does not flash blank. */
  overscan: number;
}

export interface VirtualWindow {
  /** First rendered row (inclusive) and last (exclusive). */
  start: number;
  end: number;
  /** Heights of the spacers above and below the rendered rows. */
  padTop: number;
  padBottom: number;
}

export function virtualWindow(input: VirtualWindowInput): VirtualWindow {
  const { rowCount, overscan } = input;
  const rowHeight = Math.max(1, input.rowHeight);
  if (rowCount <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const scrollTop = Math.max(0, input.scrollTop);
  const firstVisible = Math.min(rowCount - 1, Math.floor(scrollTop / rowHeight));
  const visibleCount = Math.ceil(Math.max(0, input.viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, firstVisible - overscan);
  const end = Math.min(rowCount, firstVisible + visibleCount + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (rowCount - end) * rowHeight };
}

/**
 * Whether the next page should be fetched: the rendered window reaches within
 * `thresholdRows` of the rows loaded so far (the API pages newest first by cursor).
 */
export function needsNextPage(window: VirtualWindow, loadedRows: number, thresholdRows: number): boolean {
  return loadedRows > 0 && window.end >= loadedRows - thresholdRows;
}
