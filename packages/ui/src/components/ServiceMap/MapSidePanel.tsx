"use client";

import { useEffect, useRef } from "react";
import type { EdgeData } from "../../serviceMap/elements";
import type { ModelNode } from "../../serviceMap/mapModel";
import { EdgePanel } from "./EdgePanel";
import { NodePanel } from "./NodePanel";

interface MapSidePanelProps {
  node: ModelNode | undefined;
  edge: { data: EdgeData; isPair: boolean } | undefined;
  range: { from: string; to: string };
  frameQuery: URLSearchParams;
  onClose: () => void;
}

export function MapSidePanel({ node, edge, range, frameQuery, onClose }: MapSidePanelProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const subject = node?.id ?? edge?.data.id;
  // Focus moves to the panel when it opens on a new subject, so keyboard users land in it.
  useEffect(() => {
    if (subject !== undefined) heading.current?.focus();
  }, [subject]);
  if (!node && !edge) return null;
  const title = node ? node.label : `${edge?.data.source} → ${edge?.data.target}`;
  return (
    <aside className="map-panel" aria-labelledby="map-panel-title" data-testid="map-side-panel">
      <header className="map-panel__header">
        <h2 id="map-panel-title" ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close panel" data-testid="map-panel-close">
          ×
        </button>
      </header>
      {node ? <NodePanel node={node} range={range} frameQuery={frameQuery} /> : null}
      {edge ? (
        <EdgePanel edge={edge.data} isPair={edge.isPair} range={range} frameQuery={frameQuery} />
      ) : null}
    </aside>
  );
}
