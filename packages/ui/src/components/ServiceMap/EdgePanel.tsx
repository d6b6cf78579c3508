"use client";

import { formatLatency } from "../../format/formatLatency";
import { formatTime } from "../../format/formatTime";
import type { EdgeData } from "../../serviceMap/elements";
import { formatErrorPercent, formatRate } from "../../serviceMap/mapView";
import { edgePanelUrls, edgeRequestsLink, parsePanelRequests } from "../../serviceMap/panelData";
import { RedSparklines } from "./RedSparklines";
import { useApiJson } from "./useApiJson";

interface EdgePanelProps {
  edge: EdgeData;
  /** False when an end is a collapsed namespace or a hidden marker: no single pair to ask about. */
  isPair: boolean;
  range: { from: string; to: string };
  frameQuery: URLSearchParams;
}

/** A clicked edge: its RED and the requests between the pair. */
export function EdgePanel({ edge, isPair, range, frameQuery }: EdgePanelProps) {
  const urls = isPair ? edgePanelUrls(edge.source, edge.target, range) : undefined;
  const requests = useApiJson(urls?.requests, parsePanelRequests, edge.id);
  return (
    <>
      <p className="map-panel__figures">
        {formatRate(edge.rate)} · {formatErrorPercent(edge.errorRatio)} errors · p50{" "}
        {formatLatency(edge.p50Ms)} · p99 {formatLatency(edge.p99Ms)} · {edge.protocols || "—"}
      </p>
      {!urls ? (
        <p className="map-panel__state">
          This line merges {edge.memberCount} calls into or out of a collapsed namespace or hidden services;
          expand it to see each pair.
        </p>
      ) : (
        <>
          <nav className="map-panel__links" aria-label="Go to these calls">
            <a
              href={edgeRequestsLink(edge.source, edge.target, frameQuery)}
              data-testid="panel-link-edge-requests"
            >
              All requests between the pair
            </a>
          </nav>
          <h3>RED</h3>
          <RedSparklines url={urls.red} subject={edge.id} />
          <h3>Recent requests</h3>
          {requests.error && !requests.data ? (
            <p className="map-panel__state" role="status">
              Requests unavailable: {requests.error}
            </p>
          ) : !requests.data ? (
            <p className="map-panel__state">Loading requests…</p>
          ) : requests.data.length === 0 ? (
            <p className="map-panel__state">
              No recorded requests in this range (the agent may have sampled them out).
            </p>
          ) : (
            <ul className="map-panel__list" data-testid="panel-edge-requests">
              {requests.data.map((r) => (
                <li key={r.id || `${r.timeMs}`} data-error={r.error || undefined}>
                  <code>
                    {r.status || "—"} {r.operation} {r.target}
                  </code>
                  <span>
                    {Number.isFinite(r.timeMs) ? formatTime(new Date(r.timeMs).toISOString()) : ""} ·{" "}
                    {formatLatency(r.durationMs)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}
