"use client";

import { useRef } from "react";
import type { GraphElement } from "../../serviceMap/elements";
import { HEALTH_COLORS, type Health } from "../../serviceMap/health";
import { useCytoscapeGraph } from "./useCytoscapeGraph";
import "./ServiceMap.css";

export interface ServiceMapProps {
  /** undefined while the first map is awaited. */
  elements: readonly GraphElement[] | undefined;
  /** The API failed before any map arrived. */
  unreachable?: boolean;
}

const LEGEND: { health: Health; label: string }[] = [
  { health: "healthy", label: "no errors" },
  { health: "degraded", label: "< 5% errors" },
  { health: "failing", label: "≥ 5% errors" },
  { health: "idle", label: "no incoming traffic" },
];

export function ServiceMap({ elements, unreachable = false }: ServiceMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const { nodeIds, edgeIds } = useCytoscapeGraph(container, elements);
  const isEmpty = elements !== undefined && elements.length === 0;

  return (
    <section className="card service-map" aria-labelledby="service-map-title">
      <header className="card__header">
        <h2 id="service-map-title" className="card__title">
          Service map
        </h2>
        <span className="card__meta">last 15 minutes</span>
        <ul className="service-map__legend" aria-label="Health colours">
          {LEGEND.map(({ health, label }) => (
            <li key={health}>
              <span className="service-map__swatch" style={{ background: HEALTH_COLORS[health] }} />
              {label}
            </li>
          ))}
        </ul>
      </header>
      <div className="service-map__stage">
        {/* data-nodes/data-edges mirror what Cytoscape holds, for e2e tests and debugging. */}
        <div
          ref={container}
          className="service-map__canvas"
          data-testid="service-map"
          data-nodes={JSON.stringify(nodeIds)}
          data-edges={JSON.stringify(edgeIds)}
          role="img"
          aria-label={`Service map with ${nodeIds.length} services and ${edgeIds.length} connections`}
        />
        {elements === undefined ? (
          <p className="service-map__overlay">
            {unreachable ? "No map yet — waiting for the Periscope API." : "Loading service map…"}
          </p>
        ) : null}
        {isEmpty ? (
          <div className="service-map__overlay" data-testid="service-map-empty">
            <strong>No traffic yet — is the agent running?</strong>
            <span>Services appear here as soon as the agent sees them talk to each other.</span>
          </div>
        ) : null}
      </div>
    </section>
  );
}
