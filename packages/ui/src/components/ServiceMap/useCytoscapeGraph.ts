"use client";

import cytoscape, { type Core } from "cytoscape";
import { type RefObject, useEffect, useRef, useState } from "react";
import { applyElementDiff } from "../../serviceMap/applyElementDiff";
import { diffElements } from "../../serviceMap/diffElements";
import type { GraphElement } from "../../serviceMap/elements";
import { SERVICE_MAP_STYLE } from "../../serviceMap/serviceMapStyle";

export interface RenderedGraph {
  /** Ids of the nodes and edges Cytoscape currently holds, sorted. */
  nodeIds: string[];
  edgeIds: string[];
}

const FIT_PADDING = 48;
const MAX_FIT_ZOOM = 1.25;

interface LiveGraph {
  cy: Core;
  shown: readonly GraphElement[];
  /** Set once the user pans or zooms; from then on new nodes do not refit the view. */
  userMovedViewport: boolean;
}

/**
 * One Cytoscape instance for the lifetime of the container; each new `elements`
 * snapshot is applied as a diff, so nodes that stay keep their positions.
 */
export function useCytoscapeGraph(
  container: RefObject<HTMLDivElement | null>,
  elements: readonly GraphElement[] | undefined,
): RenderedGraph {
  const live = useRef<LiveGraph | null>(null);
  const [rendered, setRendered] = useState<RenderedGraph>({ nodeIds: [], edgeIds: [] });

  useEffect(() => {
    if (!container.current) return;
    const cy = cytoscape({
      container: container.current,
      style: SERVICE_MAP_STYLE,
      minZoom: 0.2,
      maxZoom: 3,
    });
    const graph: LiveGraph = { cy, shown: [], userMovedViewport: false };
    cy.on("dragpan scrollzoom pinchzoom", () => {
      graph.userMovedViewport = true;
    });
    live.current = graph;
    return () => {
      live.current = null;
      cy.destroy();
    };
  }, [container]);

  useEffect(() => {
    const graph = live.current;
    if (!graph || !elements) return;
    const { placedNodeIds } = applyElementDiff(graph.cy, diffElements(graph.shown, elements));
    graph.shown = elements;
    if (placedNodeIds.length > 0 && !graph.userMovedViewport) fitWithoutZoomingIn(graph.cy);
    const nodeIds = graph.cy
      .nodes()
      .map((node) => node.id())
      .sort();
    const edgeIds = graph.cy
      .edges()
      .map((edge) => edge.id())
      .sort();
    setRendered((previous) =>
      sameIds(previous.nodeIds, nodeIds) && sameIds(previous.edgeIds, edgeIds)
        ? previous
        : { nodeIds, edgeIds },
    );
  }, [elements]);

  return rendered;
}

/** A map of two nodes fitted to a wide panel would be drawn huge; cap the zoom. */
function fitWithoutZoomingIn(cy: Core): void {
  cy.fit(undefined, FIT_PADDING);
  if (cy.zoom() > MAX_FIT_ZOOM) {
    cy.zoom(MAX_FIT_ZOOM);
    cy.center();
  }
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index]);
}
