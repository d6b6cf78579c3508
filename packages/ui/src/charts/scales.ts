// Scales of a time-series chart: x is the frame's time range (not the data's
// extent, so charts of one page line up and a quiet stretch shows as empty
// space), y starts at zero so heights compare honestly.
import { type ScaleLinear, type ScaleTime, scaleLinear, scaleUtc } from "d3";
import { type ChartSeries, maxValue } from "./series";

export interface ChartBox {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export interface ChartScales {
  x: ScaleTime<number, number>;
  y: ScaleLinear<number, number>;
  /** Plot area in SVG pixels (inside the margins). */
  plot: { left: number; right: number; top: number; bottom: number };
}

/**
 * `minYMax` keeps an all-zero or tiny series from filling the chart's height
 * (0.2 req/s drawn full-height looks like a spike); a ratio chart passes a floor
 * such as 0.01 (1 %).
 */
export function timeSeriesScales(
  range: { fromMs: number; toMs: number },
  series: readonly ChartSeries[],
  box: ChartBox,
  minYMax = 1,
): ChartScales {
  const plot = {
    left: box.margin.left,
    right: Math.max(box.margin.left + 1, box.width - box.margin.right),
    top: box.margin.top,
    bottom: Math.max(box.margin.top + 1, box.height - box.margin.bottom),
  };
  const x = scaleUtc()
    .domain([new Date(range.fromMs), new Date(range.toMs)])
    .range([plot.left, plot.right]);
  const top = Math.max(maxValue(series), minYMax);
  const y = scaleLinear().domain([0, top]).nice(4).range([plot.bottom, plot.top]);
  return { x, y, plot };
}
