"use client";

// The latency heatmap: d3 scales over the pure grid of requests/latencyHeatmap.ts.
// Dragging across cells selects a time window and a duration band; the explorer puts
// the selection in the URL and narrows the list to it.
import { scaleTime } from "d3";
import { useEffect, useRef, useState } from "react";
import { formatLatency } from "../../format/formatLatency";
import { formatClock } from "../../format/formatTime";
import {
  cellAt,
  type HeatmapGrid,
  type HeatmapSelection,
  selectionCells,
  selectionOf,
} from "../../requests/latencyHeatmap";

const MARGIN = { left: 70, right: 12, top: 8, bottom: 24 };
const PLOT_HEIGHT = 190;
const STRIP_HEIGHT = 44;
const STRIP_GAP = 10;

/** One metric-series bucket: exact counts of every request, not estimates from records. */
export interface CountBucket {
  timeMs: number;
  stepMs: number;
  requests: number;
  errors: number;
}

export interface LatencyHeatmapProps {
  grid: HeatmapGrid;
  /** The selection now in the URL, to draw back. */
  selection: { fromMs: number; toMs: number; minDurationMs: number; maxDurationMs: number } | undefined;
  /** Requests and errors per bucket from the metric series; drawn above the cells when given. */
  counts: CountBucket[] | undefined;
  onSelect(selection: HeatmapSelection): void;
}

type Corner = { column: number; row: number };

export function LatencyHeatmap({ grid, selection, counts, onSelect }: LatencyHeatmapProps) {
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

  const plotWidth = width - MARGIN.left - MARGIN.right;
  const cellWidth = plotWidth / grid.columns;
  const cellHeight = PLOT_HEIGHT / grid.rows.length;
  const x = scaleTime().domain([grid.fromMs, grid.toMs]).range([0, plotWidth]);
  const ticks = x.ticks(Math.max(2, Math.floor(plotWidth / 110)));

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
    const from = drag?.b ?? { column: grid.columns - 1, row: 0 };
    const next = {
      column: Math.min(grid.columns - 1, Math.max(0, from.column + (drag ? move[0] : 0))),
      row: Math.min(grid.rows.length - 1, Math.max(0, from.row + (drag ? move[1] : 0))),
    };
    setDrag({ a: event.shiftKey && drag ? drag.a : next, b: next });
  };

  const errorCells = grid.cells.filter((c) => c.estimatedErrors > 0).length;
  const strip = counts !== undefined && counts.length > 0 ? STRIP_HEIGHT + STRIP_GAP : 0;
  const maxCount = Math.max(1, ...(counts ?? []).map((c) => c.requests));
  return (
    <div
      ref={box}
      className="latency-heatmap"
      data-testid="latency-heatmap"
      data-cells={grid.cells.length}
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
        height={PLOT_HEIGHT + MARGIN.top + MARGIN.bottom + strip}
        role="img"
        aria-label={`Latency heatmap: ${grid.cells.length} cells with requests, ${errorCells} with errors. Drag across it to list the requests in a time window and duration band.`}
      >
        {strip > 0 ? (
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
            {(counts ?? []).map((c) => {
              const left = Math.max(0, x(c.timeMs));
              const right = Math.min(plotWidth, x(c.timeMs + c.stepMs));
              const h = (c.requests / maxCount) * STRIP_HEIGHT;
              const e = (c.errors / maxCount) * STRIP_HEIGHT;
              if (right <= left) return null;
              return (
                <g key={c.timeMs}>
                  <rect
                    className="latency-heatmap__count"
                    x={left + 0.5}
                    y={STRIP_HEIGHT - h}
                    width={Math.max(1, right - left - 1)}
                    height={h}
                  >
                    <title>{`${c.requests} requests, ${c.errors} errors from ${formatClock(c.timeMs)} (metrics)`}</title>
                  </rect>
                  {e > 0 ? (
                    <rect
                      className="latency-heatmap__count-errors"
                      x={left + 0.5}
                      y={STRIP_HEIGHT - e}
                      width={Math.max(1, right - left - 1)}
                      height={e}
                    />
                  ) : null}
                </g>
              );
            })}
          </g>
        ) : null}
        <g transform={`translate(${MARGIN.left},${MARGIN.top + strip})`}>
          {grid.rows.map((row, index) => (
            <text
              key={row.lowMs}
              className="latency-heatmap__axis"
              x={-6}
              y={rowY(index) + cellHeight / 2}
              textAnchor="end"
              dominantBaseline="middle"
            >
              {index === 0 && row.lowMs === 0
                ? `< ${formatLatency(row.highMs)}`
                : `≥ ${formatLatency(row.lowMs)}`}
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
          {grid.cells.map((cell) => (
            <rect
              key={`${cell.row}:${cell.column}`}
              className={
                cell.estimatedErrors > 0 ? "latency-heatmap__cell has-errors" : "latency-heatmap__cell"
              }
              x={cell.column * cellWidth + 0.5}
              y={rowY(cell.row) + 0.5}
              width={Math.max(1, cellWidth - 1)}
              height={Math.max(1, cellHeight - 1)}
              fillOpacity={0.15 + 0.85 * Math.sqrt(cell.share)}
            >
              <title>
                {`${Math.round(cell.share * 100)}% of the column: ≈ ${Math.round(cell.estimated)} requests (${cell.records} records), ${Math.round(cell.estimatedErrors)} errors, ${formatLatency(grid.rows[cell.row]?.lowMs ?? 0)}–${formatLatency(grid.rows[cell.row]?.highMs ?? 0)}`}
              </title>
            </rect>
          ))}
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
