"use client";

import { area, line } from "d3";
import { type PointerEvent, useId, useMemo, useRef, useState } from "react";
import { type ChartBrush, MIN_DRAG_PX, nearestIndex, toBrush } from "./pointer";
import { type ChartBox, timeSeriesScales } from "./scales";
import { type ChartSeries, isEmpty, segments } from "./series";
import { formatTick, formatValue, timeTickFormatter, tooltipTimeFormatter, type ValueUnit } from "./ticks";
import { useElementWidth } from "./useElementWidth";
import "./TimeSeriesChart.css";

export interface TimeSeriesChartProps {
  /** Heading and accessible name ("Request rate"). */
  title: string;
  unit: ValueUnit;
  series: ChartSeries[];
  /** The frame's range: the x axis spans it whatever the data covers. */
  fromMs: number;
  toMs: number;
  /** Shade under the first series (a rate reads better as an area). */
  filled?: boolean;
  /** The y axis's smallest top (see timeSeriesScales). */
  minYMax?: number;
  height?: number;
  /** Called with the span dragged across; the page zooms its frame to it (useFrame().zoomToBrush). */
  onBrush?: (brush: ChartBrush) => void;
  /** Tests pin it; the viewer's own zone otherwise. */
  timeZone?: string;
  testId?: string;
}

const MARGIN = { top: 10, right: 14, bottom: 24, left: 64 };

/**
 * A line (or area) chart of one or more series over the frame, drawn as SVG by
 * React with d3's scales and path generators. Hover shows every series' value at
 * the nearest bucket; dragging across the plot selects a range.
 */
export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const { title, unit, series, fromMs, toMs, filled, minYMax, onBrush, timeZone } = props;
  const height = props.height ?? 180;
  const containerRef = useRef<HTMLDivElement>(null);
  // While a new range loads the last data is drawn on the new axis: what falls
  // outside the plot is clipped, not drawn over the neighbouring charts.
  const clipId = `ts-clip-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const width = useElementWidth(containerRef);
  const [hoverX, setHoverX] = useState<number | undefined>(undefined);
  const [drag, setDrag] = useState<{ start: number; end: number } | undefined>(undefined);

  const box: ChartBox = { width, height, margin: MARGIN };
  const scales = useMemo(
    () => timeSeriesScales({ fromMs, toMs }, series, { width, height, margin: MARGIN }, minYMax),
    [fromMs, toMs, series, width, height, minYMax],
  );
  const { x, y, plot } = scales;
  const formatTime = useMemo(() => timeTickFormatter(toMs - fromMs, timeZone), [fromMs, toMs, timeZone]);
  const formatTooltipTime = useMemo(() => tooltipTimeFormatter(timeZone), [timeZone]);
  const xTicks = x.ticks(Math.max(2, Math.floor((plot.right - plot.left) / 90)));
  const yTicks = y.ticks(4);
  const empty = isEmpty(series);

  const linePath = line<{ t: number; v: number }>()
    .x((point) => x(point.t))
    .y((point) => y(point.v));
  const areaPath = area<{ t: number; v: number }>()
    .x((point) => x(point.t))
    .y0(plot.bottom)
    .y1((point) => y(point.v));

  const localX = (event: PointerEvent<SVGRectElement>) =>
    event.clientX - event.currentTarget.getBoundingClientRect().left + plot.left;

  const onPointerDown = (event: PointerEvent<SVGRectElement>) => {
    if (!onBrush || event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const px = localX(event);
    setDrag({ start: px, end: px });
  };
  const onPointerMove = (event: PointerEvent<SVGRectElement>) => {
    const px = localX(event);
    setHoverX(px);
    if (drag) setDrag({ start: drag.start, end: px });
  };
  const onPointerUp = (event: PointerEvent<SVGRectElement>) => {
    if (!drag) return;
    const end = localX(event);
    setDrag(undefined);
    if (onBrush && Math.abs(end - drag.start) >= MIN_DRAG_PX)
      onBrush(toBrush(drag.start, end, plot, { fromMs, toMs }));
  };

  const hoverTime = hoverX === undefined ? undefined : x.invert(hoverX).getTime();
  const hovered =
    hoverTime === undefined || empty
      ? undefined
      : series.map((one) => {
          const index = nearestIndex(one.points, hoverTime);
          return { series: one, point: index < 0 ? undefined : one.points[index] };
        });
  const hoverBucket = hovered?.find((entry) => entry.point)?.point?.t;

  return (
    <figure className="ts-chart" data-testid={props.testId}>
      <figcaption className="ts-chart__head">
        <span className="ts-chart__title">{title}</span>
        <span className="ts-chart__legend">
          {series.map((one) => (
            <span key={one.key} className="ts-chart__legend-item">
              <span className="ts-chart__swatch" style={{ background: one.color }} aria-hidden="true" />
              {one.label}
            </span>
          ))}
        </span>
      </figcaption>
      <div ref={containerRef} className="ts-chart__body">
        <svg
          width={box.width}
          height={box.height}
          role="img"
          aria-label={`${title}${onBrush ? "; drag across the chart to zoom the time range" : ""}`}
        >
          <g className="ts-chart__grid">
            {yTicks.map((tick) => (
              <g key={tick} transform={`translate(0,${y(tick)})`}>
                <line x1={plot.left} x2={plot.right} />
                <text x={plot.left - 6} dy="0.32em" textAnchor="end">
                  {formatTick(tick, unit)}
                </text>
              </g>
            ))}
            {xTicks.map((tick) => (
              <text key={tick.getTime()} x={x(tick)} y={plot.bottom + 16} textAnchor="middle">
                {formatTime(tick.getTime())}
              </text>
            ))}
            <line
              className="ts-chart__axis"
              x1={plot.left}
              x2={plot.right}
              y1={plot.bottom}
              y2={plot.bottom}
            />
          </g>
          <defs>
            <clipPath id={clipId}>
              <rect
                x={plot.left}
                y={plot.top - 2}
                width={plot.right - plot.left}
                height={plot.bottom - plot.top + 4}
              />
            </clipPath>
          </defs>
          <g clipPath={`url(#${clipId})`}>
            {series.map((one, index) =>
              segments(one.points).map((run) => (
                <g key={`${one.key}-${run[0]?.t}`} data-series={one.key}>
                  {filled && index === 0 && run.length > 1 && (
                    <path className="ts-chart__area" d={areaPath(run) ?? ""} style={{ fill: one.color }} />
                  )}
                  {run.length > 1 ? (
                    <path className="ts-chart__line" d={linePath(run) ?? ""} style={{ stroke: one.color }} />
                  ) : (
                    <circle
                      cx={x(run[0]?.t ?? 0)}
                      cy={y(run[0]?.v ?? 0)}
                      r={2.5}
                      style={{ fill: one.color }}
                    />
                  )}
                </g>
              )),
            )}
          </g>
          {drag && (
            <rect
              className="ts-chart__selection"
              data-testid="chart-selection"
              x={Math.max(plot.left, Math.min(drag.start, drag.end))}
              width={Math.abs(drag.end - drag.start)}
              y={plot.top}
              height={plot.bottom - plot.top}
            />
          )}
          {hoverBucket !== undefined && (
            <line
              className="ts-chart__rule"
              x1={x(hoverBucket)}
              x2={x(hoverBucket)}
              y1={plot.top}
              y2={plot.bottom}
            />
          )}
          <rect
            className="ts-chart__overlay"
            data-testid="chart-overlay"
            x={plot.left}
            y={plot.top}
            width={plot.right - plot.left}
            height={plot.bottom - plot.top}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerLeave={() => setHoverX(undefined)}
          />
        </svg>
        {empty && <p className="ts-chart__empty">No data in this range</p>}
        {hovered && hoverBucket !== undefined && hoverX !== undefined && !drag && (
          <div
            className="ts-chart__tooltip"
            role="status"
            style={{
              left: hoverX > (plot.left + plot.right) / 2 ? undefined : hoverX + 12,
              right: hoverX > (plot.left + plot.right) / 2 ? box.width - hoverX + 12 : undefined,
            }}
          >
            <div className="ts-chart__tooltip-time">{formatTooltipTime(hoverBucket)}</div>
            {hovered.map(({ series: one, point }) => (
              <div key={one.key} className="ts-chart__tooltip-row">
                <span className="ts-chart__swatch" style={{ background: one.color }} aria-hidden="true" />
                <span>{one.label}</span>
                <span className="ts-chart__tooltip-value">{formatValue(point?.v ?? null, unit)}</span>
              </div>
            ))}
          </div>
        )}
      </div>
    </figure>
  );
}
