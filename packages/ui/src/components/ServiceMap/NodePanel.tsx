"use client";

import { formatLatency } from "../../format/formatLatency";
import { formatTime } from "../../format/formatTime";
import type { ModelNode } from "../../serviceMap/mapModel";
import { formatErrorPercent, formatRate } from "../../serviceMap/mapView";
import { nodeLinks, nodePanelUrls, parseEndpoints, parsePanelRequests } from "../../serviceMap/panelData";
import { RedSparklines } from "./RedSparklines";
import { useApiJson } from "./useApiJson";

interface NodePanelProps {
  node: ModelNode;
  range: { from: string; to: string };
  frameQuery: URLSearchParams;
}

/** A clicked service: its RED, top endpoints, recent errors and where to go next. */
export function NodePanel({ node, range, frameQuery }: NodePanelProps) {
  const urls = nodePanelUrls(node.id, range);
  const endpoints = useApiJson(urls.endpoints, parseEndpoints, node.id);
  const errors = useApiJson(urls.errors, parsePanelRequests, node.id);
  const links = nodeLinks(node.id, frameQuery);
  return (
    <>
      <p className="map-panel__figures">
        {formatRate(node.rate)} · {formatErrorPercent(node.errorRatio)} errors · p99 in{" "}
        {formatLatency(node.p99Ms)}
        {node.namespace ? ` · namespace ${node.namespace}` : ""}
      </p>
      <nav className="map-panel__links" aria-label={`Go to ${node.label}`}>
        <a href={links.requests} data-testid="panel-link-requests">
          Requests
        </a>
        <a href={links.servicePage} data-testid="panel-link-service">
          Service page
        </a>
        <a href={links.flame} data-testid="panel-link-flame">
          Flame graph
        </a>
      </nav>
      <h3>RED</h3>
      <RedSparklines url={urls.red} subject={node.id} />
      <h3>Top endpoints</h3>
      {endpoints.error && !endpoints.data ? (
        <p className="map-panel__state" role="status">
          Endpoints unavailable: {endpoints.error}
        </p>
      ) : !endpoints.data ? (
        <p className="map-panel__state">Loading endpoints…</p>
      ) : endpoints.data.length === 0 ? (
        <p className="map-panel__state">No endpoints served in this range.</p>
      ) : (
        <ul className="map-panel__list" data-testid="panel-endpoints">
          {endpoints.data.map((e) => (
            <li key={`${e.protocol} ${e.operation} ${e.target}`}>
              <code>
                {e.operation} {e.target}
              </code>
              <span>
                {formatRate(e.requestsPerSecond)} · {formatErrorPercent(e.errorRatio)} · p99{" "}
                {formatLatency(e.p99Ms)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>Recent errors</h3>
      {errors.error && !errors.data ? (
        <p className="map-panel__state" role="status">
          Errors unavailable: {errors.error}
        </p>
      ) : !errors.data ? (
        <p className="map-panel__state">Loading errors…</p>
      ) : errors.data.length === 0 ? (
        <p className="map-panel__state" data-testid="panel-no-errors">
          No errors in this range.
        </p>
      ) : (
        <ul className="map-panel__list" data-testid="panel-errors">
          {errors.data.map((r) => (
            <li key={r.id || `${r.timeMs}`}>
              <code>
                {r.status || "error"} {r.operation} {r.target}
              </code>
              <span>
                {Number.isFinite(r.timeMs) ? formatTime(new Date(r.timeMs).toISOString()) : ""} · {r.client} →{" "}
                {r.server} · {formatLatency(r.durationMs)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
