"use client";

import { formatLatency } from "../../format/formatLatency";
import { formatErrorPercent, formatRate } from "../../serviceMap/mapView";
import { parseRed } from "../../serviceMap/panelData";
import { Sparkline } from "./Sparkline";
import { useApiJson } from "./useApiJson";

/** Rate, errors and p99 over the frame's range for one service or one edge. */
export function RedSparklines({ url, subject }: { url: string; subject: string }) {
  const red = useApiJson(url, parseRed, subject);
  if (red.error && !red.data)
    return (
      <p className="map-panel__state" role="status">
        RED unavailable: {red.error}
      </p>
    );
  if (!red.data) return <p className="map-panel__state">Loading RED…</p>;
  if (red.data.length === 0) return <p className="map-panel__state">No requests in this range.</p>;
  const points = red.data;
  const maxP99 = Math.max(...points.map((p) => p.p99Ms));
  const meanRate = points.reduce((sum, p) => sum + p.requestsPerSecond, 0) / points.length;
  const worstErrors = Math.max(...points.map((p) => p.errorRatio));
  return (
    <div className="map-panel__red" data-testid="panel-red">
      <Sparkline
        label="Rate"
        values={points.map((p) => p.requestsPerSecond)}
        summary={`${formatRate(meanRate)} avg`}
        color="var(--chart-1)"
      />
      <Sparkline
        label="Errors"
        values={points.map((p) => p.errorRatio)}
        summary={`${formatErrorPercent(worstErrors)} max`}
        color="var(--health-failing)"
      />
      <Sparkline
        label="p99"
        values={points.map((p) => p.p99Ms)}
        summary={`${formatLatency(maxP99)} max`}
        color="var(--chart-3)"
      />
    </div>
  );
}
