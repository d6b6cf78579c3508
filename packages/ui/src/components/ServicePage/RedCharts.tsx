"use client";

import { useMemo } from "react";
import type { ChartBrush } from "../../charts/pointer";
import { TimeSeriesChart } from "../../charts/TimeSeriesChart";
import type { RedSeries } from "./parseServiceApi";
import { errorRatioSeries, latencySeries, rateSeries } from "./redCharts";

interface RedChartsProps {
  red: RedSeries;
  fromMs: number;
  toMs: number;
  onBrush: (brush: ChartBrush) => void;
}

/** Rate, error ratio and p50/p90/p99 over the frame; a drag across any of them zooms the frame. */
export function RedCharts({ red, fromMs, toMs, onBrush }: RedChartsProps) {
  const rate = useMemo(() => rateSeries(red), [red]);
  const errors = useMemo(() => errorRatioSeries(red), [red]);
  const latency = useMemo(() => latencySeries(red), [red]);
  const common = { fromMs, toMs, onBrush };
  return (
    <div className="svc-charts">
      <TimeSeriesChart
        title="Request rate"
        unit="rate"
        series={rate}
        filled
        testId="chart-rate"
        {...common}
      />
      <TimeSeriesChart
        title="Error ratio"
        unit="ratio"
        series={errors}
        minYMax={0.01}
        testId="chart-errors"
        {...common}
      />
      <TimeSeriesChart title="Latency" unit="ms" series={latency} testId="chart-latency" {...common} />
    </div>
  );
}
