"use client";

import { useMemo, useRef } from "react";
import { formatLatency } from "../../../format/formatLatency";
import { describeRange } from "../../../frame/timeRange";
import { useFrame } from "../../../frame/useFrame";
import { enumParam } from "../../../frame/viewParams";
import { classifyMapDiff, DIFF_THRESHOLDS, parseMapDiff, verdictCounts } from "../../../serviceMap/mapDiff";
import {
  type BaselinePreset,
  baselineRange,
  buildDiffElements,
  diffEdgeLabel,
} from "../../../serviceMap/mapDiffView";
import { formatErrorPercent, formatRate } from "../../../serviceMap/mapView";
import { ServiceMapCanvas, type ServiceMapCanvasHandle } from "../ServiceMapCanvas";
import { useApiJson } from "../useApiJson";
import "../../Dashboard/Dashboard.css";
import "../ServiceMap.css";
import "./MapDiff.css";

const BASELINE = enumParam(["previous", "1d", "7d"] as const);
const BASELINE_LABELS: Record<BaselinePreset, string> = {
  previous: "the period just before",
  "1d": "the same period a day earlier",
  "7d": "the same period a week earlier",
};

function formatInstant(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

/** Two ranges of the map overlaid: new and vanished calls, latency and error changes highlighted. */
export function MapDiff() {
  const frame = useFrame();
  const canvas = useRef<ServiceMapCanvasHandle>(null);
  const preset: BaselinePreset = BASELINE.parse(frame.params.get("baseline") ?? "") ?? "previous";
  const fromMs = frame.from.getTime();
  const toMs = frame.to.getTime();
  const baseline = baselineRange(fromMs, toMs, preset);
  const params = new URLSearchParams({
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    baselineFrom: new Date(baseline.from).toISOString(),
    baselineTo: new Date(baseline.to).toISOString(),
  });
  if (frame.state.namespace) params.set("namespace", frame.state.namespace);
  const diff = useApiJson(
    `/api/v1/map-diff?${params}`,
    parseMapDiff,
    `map-diff ${preset} ${frame.state.namespace ?? ""}`,
  );
  const classified = useMemo(() => (diff.data ? classifyMapDiff(diff.data) : undefined), [diff.data]);
  const elements = useMemo(
    () => (diff.data && classified ? buildDiffElements(diff.data, classified) : undefined),
    [diff.data, classified],
  );
  const counts = classified ? verdictCounts(classified) : undefined;

  return (
    <main className="dashboard map-diff">
      <section className="card" aria-labelledby="map-diff-title">
        <header className="card__header service-map__header">
          <h1 id="map-diff-title" className="card__title">
            Map diff
          </h1>
          <span className="card__meta" data-testid="map-diff-ranges">
            {describeRange(frame.state.range)} ({formatInstant(fromMs)} – {formatInstant(toMs)} UTC) against{" "}
            {formatInstant(baseline.from)} – {formatInstant(baseline.to)} UTC
          </span>
          <label className="map-diff__baseline">
            Compare with
            <select
              value={preset}
              onChange={(event) =>
                frame.setParams({
                  baseline: event.target.value === "previous" ? undefined : event.target.value,
                })
              }
              data-testid="map-diff-baseline"
            >
              {(Object.keys(BASELINE_LABELS) as BaselinePreset[]).map((key) => (
                <option key={key} value={key}>
                  {BASELINE_LABELS[key]}
                </option>
              ))}
            </select>
          </label>
        </header>
        <div className="map-diff__legend" data-testid="map-diff-legend">
          <span>
            <i className="map-diff__key map-diff__key--worse" /> worse (p99 up ≥{" "}
            {DIFF_THRESHOLDS.latencyRatio * 100}% and ≥ {DIFF_THRESHOLDS.latencyMs} ms, or errors up ≥{" "}
            {DIFF_THRESHOLDS.errorPoints * 100} pt)
          </span>
          <span>
            <i className="map-diff__key map-diff__key--better" /> better
          </span>
          <span>
            <i className="map-diff__key map-diff__key--new" /> new call
          </span>
          <span>
            <i className="map-diff__key map-diff__key--vanished" /> vanished (dashed)
          </span>
          {counts ? (
            <strong data-testid="map-diff-counts">
              {counts.worse} worse · {counts.better} better · {counts.mixed} mixed · {counts.new} new ·{" "}
              {counts.vanished} vanished · {counts.unchanged} unchanged
            </strong>
          ) : null}
        </div>
        {diff.error ? (
          <p className="service-map__error" role="alert" data-testid="map-diff-error">
            Map diff failed: {diff.error}
          </p>
        ) : null}
        <ServiceMapCanvas
          ref={canvas}
          elements={elements}
          unreachable={diff.error !== undefined}
          emptyBecause={elements?.length === 0 ? "No calls in either range." : undefined}
        />
      </section>
      <section className="card" aria-labelledby="map-diff-table-title">
        <header className="card__header">
          <h2 id="map-diff-table-title" className="card__title">
            Changed calls
          </h2>
        </header>
        {!classified ? (
          <p className="service-map__state">{diff.error ? "No diff to show." : "Loading…"}</p>
        ) : classified.length === 0 ? (
          <p className="service-map__state">No calls in either range.</p>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard (WCAG 2.1.1; axe scrollable-region-focusable)
          <section className="map-table" tabIndex={0} aria-labelledby="map-diff-table-title">
            <table className="map-table__table" data-testid="map-diff-table">
              <caption className="visually-hidden">Calls by change, regressions first</caption>
              <thead>
                <tr>
                  <th scope="col">Call</th>
                  <th scope="col">Change</th>
                  <th scope="col" className="map-table__numeric">
                    Rate before → now
                  </th>
                  <th scope="col" className="map-table__numeric">
                    Errors before → now
                  </th>
                  <th scope="col" className="map-table__numeric">
                    p99 before → now
                  </th>
                </tr>
              </thead>
              <tbody>
                {classified.map((edge) => (
                  <tr key={edge.id} data-verdict={edge.verdict} data-testid="map-diff-row">
                    <th scope="row">
                      {edge.source} → {edge.target}
                    </th>
                    <td>
                      <span className={`map-diff__verdict map-diff__verdict--${edge.verdict}`}>
                        {edge.verdict}
                      </span>{" "}
                      {diffEdgeLabel(edge)}
                    </td>
                    <td className="map-table__numeric">
                      {edge.baseline ? formatRate(edge.baseline.requestsPerSecond) : "—"} →{" "}
                      {edge.current ? formatRate(edge.current.requestsPerSecond) : "—"}
                    </td>
                    <td className="map-table__numeric">
                      {edge.baseline ? formatErrorPercent(edge.baseline.errorRatio) : "—"} →{" "}
                      {edge.current ? formatErrorPercent(edge.current.errorRatio) : "—"}
                    </td>
                    <td className="map-table__numeric">
                      {edge.baseline ? formatLatency(edge.baseline.p99Ms) : "—"} →{" "}
                      {edge.current ? formatLatency(edge.current.p99Ms) : "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </section>
    </main>
  );
}
