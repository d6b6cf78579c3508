"use client";

// The latency heatmap: d3 scales over the pure grid of requests/latencyHeatmap.ts,
// whose cells are the metric series' exact counts. Above the cells, each column's
// requests (errors stacked in red) and an error lane: the histograms are not split
// by outcome, so errors are marked per column. Dragging across cells selects a time
// window and a duration band; the explorer puts it in the URL and narrows the list.
import { scaleTime } from "d3";
import { useEffect, useRef, useState } from "react";
import { formatClock } from "../../format/formatTime";
import {
  cellAt,
  cellIntensity,
  durationBoundLabel,
  type HeatmapGrid,
  type HeatmapSelection,
  rowRangeText,
  selectionCells,
  selectionOf,
} from "../../requests/latencyHeatmap";

// Right margin: half a "00:00" tick label, which sits on the plot's last minute.
const MARGIN = { left: 70, right: 20, top: 8, bottom: 24 };
const PLOT_HEIGHT = 190;
const STRIP_HEIGHT = 44;
const ERROR_LANE = 8;
const GAP = 6;

export interface LatencyHeatmapProps {
  grid: HeatmapGrid;
  /** The selection now in the URL, to draw back. */
  selection: { fromMs: number; toMs: number; minDurationMs: number; maxDurationMs: number } | undefined;
  onSelect(selection: HeatmapSelection): void;
}

type Corner = { column: number; row: number };

export function LatencyHeatmap({ grid, selection, onSelect }: LatencyHeatmapProps) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  const [drag, setDrag] = useState<{ a: Corner; b: Corner } | undefined>(undefined);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(320, Math.floor(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const columnCount = Math.max(1, grid.columns.length);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const cellWidth = plotWidth / columnCount;
  const cellHeight = PLOT_HEIGHT / grid.rows.length;
  const x = scaleTime().domain([grid.fromMs, grid.toMs]).range([0, plotWidth]);
  // Columns are whole minutes, so are the ticks (HH:MM labels would repeat otherwise).
  const ticks = x.ticks(Math.max(2, Math.floor(plotWidth / 110))).filter((t) => t.getTime() % 60_000 === 0);
  // Room under the error lane for the top row's bound label.
  const plotTop = STRIP_HEIGHT + GAP + ERROR_LANE + 2 * GAP;

  const cornerOf = (event: React.PointerEvent<SVGRectElement>): Corner => {
    const rect = event.currentTarget.getBoundingClientRect();
    return cellAt(grid, event.clientX - rect.left, event.clientY - rect.top, rect.width, rect.height);
  };
  const shown = drag
    ? {
        firstColumn: Math.min(drag.a.column, drag.b.column),
        lastColumn: Math.max(drag.a.column, drag.b.column),
        lowRow: Math.min(drag.a.row, drag.b.row),
        highRow: Math.max(drag.a.row, drag.b.row),
      }
    : selection
      ? selectionCells(grid, selection)
      : undefined;
  const rowY = (row: number) => PLOT_HEIGHT - (row + 1) * cellHeight;

  // Keyboard selection, the same gesture as a drag: arrows move a cell cursor,
  // Shift+arrows stretch the selection from where it started, Enter applies it.
  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, 1],
      ArrowDown: [0, -1],
    };
    if (event.key === "Escape") {
      setDrag(undefined);
      return;
    }
    if (event.key === "Enter" && drag) {
      event.preventDefault();
      onSelect(selectionOf(grid, drag.a, drag.b));
      setDrag(undefined);
      return;
    }
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const from = drag?.b ?? { column: columnCount - 1, row: 0 };
    const next = {
      column: Math.min(columnCount - 1, Math.max(0, from.column + (drag ? move[0] : 0))),
      row: Math.min(grid.rows.length - 1, Math.max(0, from.row + (drag ? move[1] : 0))),
    };
    setDrag({ a: event.shiftKey && drag ? drag.a : next, b: next });
  };

  const maxRequests = Math.max(1, ...grid.columns.map((c) => c.requests));
  const errorColumns = grid.columns.filter((c) => c.errors > 0).length;
  // Row bounds on the lines between rows; an open end has no bound to name.
  const bounds = grid.rows.flatMap((row, index) => [
    ...(index > 0 || !row.openBelow ? [{ ms: row.lowMs, y: rowY(index) + cellHeight }] : []),
    ...(index === grid.rows.length - 1 && !row.openAbove ? [{ ms: row.highMs, y: rowY(index) }] : []),
  ]);
  return (
    <div
      ref={box}
      className="latency-heatmap"
      data-testid="latency-heatmap"
      data-cells={grid.cells.length}
      data-requests={grid.requests}
      data-errors={grid.errors}
      // A custom keyboard widget (arrow keys select cells): the role that says so.
      role="application"
      aria-label="Latency heatmap selection: arrow keys move, Shift+arrows stretch, Enter lists the requests in it, Escape cancels"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: role="application" is this widget's keyboard focus target
      tabIndex={0}
      onKeyDown={onKeyDown}
      onBlur={() => setDrag(undefined)}
    >
      <svg
        width={width}
        height={plotTop + PLOT_HEIGHT + MARGIN.top + MARGIN.bottom}
        role="img"
        aria-label={`Latency heatmap from the metric series: ${grid.requests} requests in ${grid.cells.length} cells, errors in ${errorColumns} of ${grid.columns.length} time slices. Drag across it to list the requests in a time window and duration band.`}
      >
        <g transform={`translate(${MARGIN.left},${MARGIN.top})`} data-testid="metric-count-strip">
          <text
            className="latency-heatmap__axis"
            x={-6}
            y={STRIP_HEIGHT / 2}
            textAnchor="end"
            dominantBaseline="middle"
          >
            requests
          </text>
          <text
            className="latency-heatmap__axis"
            x={-6}
            y={STRIP_HEIGHT + GAP + ERROR_LANE / 2}
            textAnchor="end"
            dominantBaseline="middle"
          >
            errors
          </text>
          {grid.columns.map((c, index) => {
            const left = index * cellWidth;
            const h = (c.requests / maxRequests) * STRIP_HEIGHT;
            const e = (c.errors / maxRequests) * STRIP_HEIGHT;
            const span = `${formatClock(c.startMs).slice(0, 5)}–${formatClock(c.endMs).slice(0, 5)}`;
            return (
              <g key={c.startMs}>
                {c.requests > 0 ? (
                  <rect
                    className="latency-heatmap__count"
                    x={left + 0.5}
                    y={STRIP_HEIGHT - h}
                    width={Math.max(1, cellWidth - 1)}
                    height={h}
                  >
                    <title>{`${c.requests.toLocaleString("en")} requests, ${c.errors.toLocaleString("en")} errors, ${span}`}</title>
                  </rect>
                ) : null}
                {e > 0 ? (
                  <rect
                    className="latency-heatmap__count-errors"
                    x={left + 0.5}
                    y={STRIP_HEIGHT - e}
                    width={Math.max(1, cellWidth - 1)}
                    height={e}
                  />
                ) : null}
                {c.errors > 0 ? (
                  // One mark per slice with errors, however few: a 1-in-1000 error is
                  // invisible in the stacked bar, not here.
                  <rect
                    className="latency-heatmap__error-mark"
                    data-testid="heatmap-column-errors"
                    data-column-time={new Date(c.startMs).toISOString()}
                    data-errors={c.errors}
                    x={left + 0.5}
                    y={STRIP_HEIGHT + GAP}
                    width={Math.max(1, cellWidth - 1)}
                    height={ERROR_LANE}
                    fillOpacity={0.45 + 0.55 * Math.min(1, (c.errors / Math.max(1, c.requests)) * 10)}
                  >
                    <title>{`${c.errors.toLocaleString("en")} errors of ${c.requests.toLocaleString("en")} requests (${((c.errors / Math.max(1, c.requests)) * 100).toFixed(1)} %), ${span}`}</title>
                  </rect>
                ) : null}
              </g>
            );
          })}
        </g>
        <g transform={`translate(${MARGIN.left},${MARGIN.top + plotTop})`}>
          {bounds.map((bound) => (
            <text
              key={bound.ms}
              className="latency-heatmap__axis"
              x={-6}
              y={bound.y}
              textAnchor="end"
              dominantBaseline="middle"
            >
              {durationBoundLabel(bound.ms)}
            </text>
          ))}
          {ticks.map((tick) => (
            <text
              key={tick.getTime()}
              className="latency-heatmap__axis"
              x={x(tick)}
              y={PLOT_HEIGHT + 16}
              textAnchor="middle"
            >
              {formatClock(tick.getTime()).slice(0, 5)}
            </text>
          ))}
          <rect className="latency-heatmap__plot" width={plotWidth} height={PLOT_HEIGHT} />
          {grid.cells.map((cell) => {
            const column = grid.columns[cell.column];
            const row = grid.rows[cell.row];
            if (!column || !row) return null;
            return (
              <rect
                key={`${cell.row}:${cell.column}`}
                className="latency-heatmap__cell"
                data-testid="heatmap-cell"
                data-column-time={new Date(column.startMs).toISOString()}
                data-row-from={row.lowMs}
                data-count={cell.count}
                x={cell.column * cellWidth + 0.5}
                y={rowY(cell.row) + 0.5}
                width={Math.max(1, cellWidth - 1)}
                height={Math.max(1, cellHeight - 1)}
                fillOpacity={cellIntensity(cell.count, grid.maxCount)}
              >
                <title>
                  {`${cell.count === 1 ? "1 request" : `${cell.count.toLocaleString("en")} requests`} took ${rowRangeText(row)}, ${formatClock(column.startMs).slice(0, 5)}–${formatClock(column.endMs).slice(0, 5)}`}
                </title>
              </rect>
            );
          })}
          {shown ? (
            <rect
              className="latency-heatmap__selection"
              data-testid="heatmap-selection"
              x={shown.firstColumn * cellWidth}
              y={rowY(shown.highRow)}
              width={(shown.lastColumn - shown.firstColumn + 1) * cellWidth}
              height={(shown.highRow - shown.lowRow + 1) * cellHeight}
            />
          ) : null}
          <rect
            className="latency-heatmap__overlay"
            data-testid="heatmap-overlay"
            width={plotWidth}
            height={PLOT_HEIGHT}
            onPointerDown={(event) => {
              event.currentTarget.setPointerCapture(event.pointerId);
              const corner = cornerOf(event);
              setDrag({ a: corner, b: corner });
            }}
            onPointerMove={(event) => {
              if (drag) setDrag({ a: drag.a, b: cornerOf(event) });
            }}
            onPointerUp={(event) => {
              if (!drag) return;
              const b = cornerOf(event);
              setDrag(undefined);
              onSelect(selectionOf(grid, drag.a, b));
            }}
            onPointerCancel={() => setDrag(undefined)}
          />
        </g>
      </svg>
    </div>
  );
}
