"use client";

import { forwardRef, useImperativeHandle, useRef } from "react";
import type { GraphElement } from "../../serviceMap/elements";
import { type MapSelection, useCytoscapeGraph } from "./useCytoscapeGraph";

export interface ServiceMapCanvasProps {
  /** undefined while the first map is awaited. */
  elements: readonly GraphElement[] | undefined;
  /** The API failed before any map arrived. */
  unreachable?: boolean;
  /** Why the map is empty when filters removed everything (else the "no traffic" hint). */
  emptyBecause?: string | undefined;
  onSelect?: (selection: MapSelection) => void;
}

export interface ServiceMapCanvasHandle {
  relayout(): void;
  fit(): void;
}

const noSelect = () => undefined;

/** The Cytoscape stage with its loading and empty states. */
export const ServiceMapCanvas = forwardRef<ServiceMapCanvasHandle, ServiceMapCanvasProps>(
  function ServiceMapCanvas({ elements, unreachable = false, emptyBecause, onSelect = noSelect }, handle) {
    const container = useRef<HTMLDivElement>(null);
    const { nodeIds, edgeIds, relayout, fit } = useCytoscapeGraph(container, elements, onSelect);
    useImperativeHandle(handle, () => ({ relayout, fit }), [relayout, fit]);
    const isEmpty = elements !== undefined && elements.length === 0;
    const services = nodeIds.filter((id) => !id.startsWith("group:")).length;
    return (
      <div className="service-map__stage">
        {/* data-nodes/data-edges mirror what Cytoscape holds, for e2e tests and debugging. */}
        <div
          ref={container}
          className="service-map__canvas"
          data-testid="service-map"
          data-nodes={JSON.stringify(nodeIds)}
          data-edges={JSON.stringify(edgeIds)}
          role="img"
          aria-label={`Service map with ${services} services and ${edgeIds.length} connections; the Table view lists them`}
        />
        {elements === undefined ? (
          <p className="service-map__overlay">
            {unreachable ? "No map yet — waiting for the Periscope API." : "Loading service map…"}
          </p>
        ) : null}
        {isEmpty ? (
          <div className="service-map__overlay" data-testid="service-map-empty">
            {emptyBecause ? (
              <strong>{emptyBecause}</strong>
            ) : (
              <>
                <strong>No traffic yet — is the agent running?</strong>
                <span>Services appear here as soon as the agent sees them talk to each other.</span>
              </>
            )}
          </div>
        ) : null}
      </div>
    );
  },
);
