"use client";

import cytoscape, { type Core } from "cytoscape";
import { type RefObject, useCallback, useEffect, useRef, useState } from "react";
import { applyElementDiff } from "../../serviceMap/applyElementDiff";
import { edgeLabelsDrawn, flushStaleLabels, nearExtent } from "../../serviceMap/deferredLabels";
import { diffElements } from "../../serviceMap/diffElements";
import type { GraphElement } from "../../serviceMap/elements";
import { fitViewport, type NodeBox } from "../../serviceMap/fitViewport";
import { placeByGroup } from "../../serviceMap/placeByGroup";
import type { Point } from "../../serviceMap/placeNewNodes";
import { POSITION_CACHE_KEY, parsePositions, serializePositions } from "../../serviceMap/positionCache";
import {
  nodeBoxHeight,
  nodeBoxWidth,
  readMapColors,
  serviceMapStyle,
} from "../../serviceMap/serviceMapStyle";

export interface RenderedGraph {
  /** Ids of the nodes and edges Cytoscape currently holds, sorted. */
  nodeIds: string[];
  edgeIds: string[];
}

export type MapSelection = { kind: "node" | "edge"; id: string } | undefined;

const FIT_PADDING = 48;
const MAX_FIT_ZOOM = 1.25;
const SAVE_DELAY_MS = 500;

interface LiveGraph {
  cy: Core;
  shown: readonly GraphElement[];
  /** Positions from the last visit (localStorage), reused for nodes that come back. */
  remembered: Map<string, Point>;
  /** Set once the user pans or zooms; from then on new nodes do not refit the view. */
  userMovedViewport: boolean;
  pixelRatio: number;
}

function cssReader(): (variable: string) => string {
  const style = getComputedStyle(document.documentElement);
  return (variable) => style.getPropertyValue(variable);
}

/** The performance measure of each apply of map data (bench/suites/ui.ts). */
export const MAP_APPLY_MEASURE = "periscope:map-apply";

/**
 * One Cytoscape instance for the lifetime of the container; each new `elements`
 * snapshot is applied as a diff, so nodes that stay keep their positions, and
 * positions are saved so a reload draws the map where it was.
 */
export function useCytoscapeGraph(
  container: RefObject<HTMLDivElement | null>,
  elements: readonly GraphElement[] | undefined,
  onSelect: (selection: MapSelection) => void,
): RenderedGraph & { relayout: () => void; fit: () => void } {
  const live = useRef<LiveGraph | null>(null);
  const [rendered, setRendered] = useState<RenderedGraph>({ nodeIds: [], edgeIds: [] });
  const select = useRef(onSelect);
  select.current = onSelect;
  const saveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const savePositions = useCallback(() => {
    clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => {
      const graph = live.current;
      if (!graph) return;
      const current = new Map<string, Point>(
        graph.cy.nodes('[kind != "group"]').map((node) => [node.id(), { ...node.position() }]),
      );
      try {
        const text = serializePositions(graph.remembered, current);
        localStorage.setItem(POSITION_CACHE_KEY, text);
        graph.remembered = parsePositions(text);
      } catch {
        // Storage full or disabled: positions then last for this visit only.
      }
    }, SAVE_DELAY_MS);
  }, []);

  useEffect(() => {
    if (!container.current) return;
    const pixelRatio = window.devicePixelRatio || 1;
    const cy = cytoscape({
      container: container.current,
      style: serviceMapStyle(readMapColors(cssReader())),
      minZoom: 0.05,
      maxZoom: 3,
      // Measured levers for big maps (UI.md): skip edges and use a texture while panning.
      hideEdgesOnViewport: true,
      textureOnViewport: true,
      // Read once: Cytoscape otherwise asks the window for it on every draw call
      // (~5% of a redraw in make bench-ui's profile); sharp on high-density screens still.
      pixelRatio,
      motionBlur: false,
    });
    let remembered = new Map<string, Point>();
    try {
      remembered = parsePositions(localStorage.getItem(POSITION_CACHE_KEY));
    } catch {
      // No storage (private mode): start from the computed layout.
    }
    const graph: LiveGraph = { cy, shown: [], remembered, userMovedViewport: false, pixelRatio };
    cy.on("dragpan scrollzoom pinchzoom", () => {
      graph.userMovedViewport = true;
    });
    cy.on("dragfree", "node", savePositions);
    // Edge labels left undrawn (zoomed out, off screen) are restyled once a zoom or pan
    // shows them, at most once a frame while the view moves.
    let flushQueued = false;
    cy.on("viewport", () => {
      if (flushQueued) return;
      flushQueued = true;
      requestAnimationFrame(() => {
        flushQueued = false;
        if (!cy.destroyed()) flushStaleLabels(cy, labelShownNow(cy, pixelRatio));
      });
    });
    cy.on("tap", "node", (event) => {
      const kind = event.target.data("kind");
      if (kind !== "group") select.current({ kind: "node", id: event.target.id() });
    });
    cy.on("tap", "edge", (event) => select.current({ kind: "edge", id: event.target.id() }));
    cy.on("tap", (event) => {
      if (event.target === cy) select.current(undefined);
    });
    // The theme can change while the page is open (toggle or system setting).
    const restyle = () => cy.style(serviceMapStyle(readMapColors(cssReader())));
    const observer = new MutationObserver(restyle);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    media.addEventListener("change", restyle);
    live.current = graph;
    return () => {
      observer.disconnect();
      media.removeEventListener("change", restyle);
      clearTimeout(saveTimer.current);
      live.current = null;
      cy.destroy();
    };
  }, [container, savePositions]);

  useEffect(() => {
    const graph = live.current;
    if (!graph || !elements) return;
    const appliedFrom = performance.now();
    const diff = diffElements(graph.shown, elements);
    const { placedNodeIds } = applyElementDiff(
      graph.cy,
      diff,
      graph.remembered,
      labelShownNow(graph.cy, graph.pixelRatio),
    );
    // What one update costs the page, up to the frame that shows it: `make bench-ui` reads these.
    const changed = diff.add.length + diff.update.length + diff.refresh.length + diff.remove.length;
    requestAnimationFrame(() => {
      performance.measure(MAP_APPLY_MEASURE, {
        start: appliedFrom,
        end: performance.now(),
        detail: { nodes: graph.cy.nodes().length, edges: graph.cy.edges().length, changed },
      });
    });
    graph.shown = elements;
    if (placedNodeIds.length > 0) {
      if (!graph.userMovedViewport) fitWithoutZoomingIn(graph.cy);
      savePositions();
    }
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
  }, [elements, savePositions]);

  /**
   * A full re-layout, only when asked (UI.md: positions are otherwise kept): every node
   * placed again by namespace as if the map were new, then saved.
   */
  const relayout = useCallback(() => {
    const graph = live.current;
    if (!graph) return;
    const nodes = graph.cy.nodes('[kind != "group"]');
    const positions = placeByGroup(
      new Map(),
      new Map(),
      nodes.map((node) => ({ id: node.id(), group: String(node.data("group") ?? "") })),
      graph.cy.edges().map((edge) => ({ source: edge.source().id(), target: edge.target().id() })),
    );
    graph.cy.batch(() => {
      for (const node of nodes) {
        const point = positions.get(node.id());
        if (point) node.position({ ...point });
      }
    });
    fitWithoutZoomingIn(graph.cy);
    savePositions();
  }, [savePositions]);

  const fit = useCallback(() => {
    if (live.current) fitWithoutZoomingIn(live.current.cy);
  }, []);

  return { ...rendered, relayout, fit };
}

/**
 * Fits the map to the panel from node positions and box sizes (fitViewport.ts), without
 * the per-element bounding boxes cy.fit() computes; a map of two nodes fitted to a wide
 * panel would be drawn huge, so the zoom is capped.
 */
function fitWithoutZoomingIn(cy: Core): void {
  const nodes: NodeBox[] = [];
  for (const node of cy.nodes()) {
    const data = node.data() as { label?: string; kind?: string };
    if (data.kind === "group") continue;
    const { x, y } = node.position();
    nodes.push({
      x,
      y,
      halfWidth: nodeBoxWidth(String(data.label ?? "")) / 2,
      halfHeight: nodeBoxHeight(String(data.kind ?? "")) / 2,
    });
  }
  const viewport = fitViewport(nodes, cy.width(), cy.height(), FIT_PADDING, cy.minZoom(), MAX_FIT_ZOOM);
  if (viewport) cy.viewport(viewport);
}

/** Whether an edge's label is drawn at the current zoom and view (at its ends' midpoint). */
function labelShownNow(cy: Core, pixelRatio: number): (source: string, target: string) => boolean {
  if (!edgeLabelsDrawn(cy.zoom(), pixelRatio)) return () => false;
  const extent = cy.extent();
  return (source, target) => {
    const a = cy.getElementById(source);
    const b = cy.getElementById(target);
    if (a.empty() || b.empty()) return true;
    const p = a.position();
    const q = b.position();
    return nearExtent({ x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 }, extent);
  };
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index]);
}
