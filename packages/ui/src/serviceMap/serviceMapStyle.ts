import type { NodeSingular, StylesheetJson } from "cytoscape";

// Cytoscape's font-family parser rejects quoted names, so none are quoted here.
const FONT_FAMILY =
  "ui-sans-serif, system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif";

/** Box width from the label length ("width: label" is deprecated in Cytoscape 3.x). */
function nodeWidth(node: NodeSingular): number {
  const label = String(node.data("label") ?? "");
  return Math.max(84, Math.round(label.length * 7.4 + 30));
}

// Colours come from each element's data (see health.ts) so that a health change is a
// data update, not a style rebuild.
export const SERVICE_MAP_STYLE: StylesheetJson = [
  {
    selector: "node",
    style: {
      shape: "round-rectangle",
      width: nodeWidth,
      height: 34,
      "background-color": "#ffffff",
      "border-width": 2,
      "border-color": "data(color)",
      label: "data(label)",
      color: "#0f172a",
      "font-family": FONT_FAMILY,
      "font-size": 12,
      "font-weight": 600,
      "text-valign": "center",
      "text-halign": "center",
    },
  },
  {
    selector: 'node[kind = "external"]',
    style: { "border-style": "dashed", "background-color": "#f8fafc", color: "#475569", "font-weight": 500 },
  },
  {
    selector: "node:selected",
    style: {
      "border-width": 3,
      "underlay-color": "#6366f1",
      "underlay-opacity": 0.18,
      "underlay-padding": 6,
    },
  },
  {
    selector: "edge",
    style: {
      width: 2,
      "curve-style": "bezier",
      "line-color": "data(color)",
      "target-arrow-color": "data(color)",
      "target-arrow-shape": "triangle",
      "arrow-scale": 1.1,
      label: "data(label)",
      "font-family": FONT_FAMILY,
      "font-size": 10,
      color: "#334155",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.9,
      "text-background-padding": "3px",
      "text-background-shape": "roundrectangle",
    },
  },
  {
    selector: 'edge[health = "healthy"], edge[health = "idle"]',
    style: { "line-color": "#94a3b8", "target-arrow-color": "#94a3b8" },
  },
  { selector: 'edge[health = "failing"]', style: { width: 3, color: "#b91c1c" } },
  { selector: 'edge[health = "degraded"]', style: { color: "#b45309" } },
];
