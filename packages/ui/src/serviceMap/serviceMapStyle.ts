import type { NodeSingular, StylesheetJson } from "cytoscape";
import { TONE_CSS_VARIABLES, type Tone } from "./colorScale";

// Cytoscape's font-family parser rejects quoted names, so none are quoted here.
const FONT_FAMILY =
  "ui-sans-serif, system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif";

/** Colours for the canvas: Cytoscape cannot read CSS variables, so the component resolves them (readMapColors). */
export interface MapColors {
  tones: Record<Tone, string>;
  surface: string;
  surfaceSubtle: string;
  text: string;
  textMuted: string;
  border: string;
  accent: string;
}

export const DEFAULT_MAP_COLORS: MapColors = {
  tones: { good: "#10b981", warn: "#f59e0b", bad: "#ef4444", idle: "#94a3b8" },
  surface: "#ffffff",
  surfaceSubtle: "#f8fafc",
  text: "#0f172a",
  textMuted: "#64748b",
  border: "#e2e8f0",
  accent: "#4f46e5",
};

/** Edge label size, and the on-screen size below which Cytoscape skips a label. */
export const EDGE_FONT_SIZE = 12;
export const MIN_ZOOMED_FONT_SIZE = 5;

/** Box width from the label length ("width: label" is deprecated in Cytoscape 3.x). */
export function nodeBoxWidth(label: string): number {
  return Math.max(84, Math.round(label.length * 8 + 30));
}

/** Box height by kind: collapsed namespaces are drawn taller. */
export function nodeBoxHeight(kind: string): number {
  return kind === "namespace" ? 40 : 34;
}

function nodeWidth(node: NodeSingular): number {
  return nodeBoxWidth(String(node.data("label") ?? ""));
}

const TONES: Tone[] = ["good", "warn", "bad", "idle"];

/**
 * Tones, find matches and kinds are data selectors, so a change of health, colour mode
 * or find is a data update on the live instance; only a theme change rebuilds the style.
 */
export function serviceMapStyle(colors: MapColors = DEFAULT_MAP_COLORS): StylesheetJson {
  return [
    {
      selector: "node",
      style: {
        shape: "round-rectangle",
        width: nodeWidth,
        height: nodeBoxHeight("service"),
        "background-color": colors.surface,
        "border-width": 2,
        label: "data(label)",
        color: colors.text,
        "font-family": FONT_FAMILY,
        "font-size": 13,
        "font-weight": 600,
        "text-valign": "center",
        "text-halign": "center",
        // Labels below this on-screen size are skipped: at 1,000 nodes zoomed out they are unreadable anyway.
        "min-zoomed-font-size": MIN_ZOOMED_FONT_SIZE,
        // No image, stated as an empty list. With the default ("none"), Cytoscape 3.34's
        // drawNode flips the node's `backgrounding` flag twice on every draw and restyles
        // it each time, which for a namespace box restyles every node inside it: ~13 ms
        // a frame at 200 services, while panning too (measured in make bench-ui).
        "background-image": [],
      },
    },
    ...TONES.map((tone) => ({
      selector: `node[tone = "${tone}"]`,
      style: { "border-color": colors.tones[tone] },
    })),
    {
      selector: 'node[kind = "external"]',
      style: {
        "border-style": "dashed",
        "background-color": colors.surfaceSubtle,
        color: colors.textMuted,
        "font-weight": 500,
      },
    },
    {
      selector: 'node[kind = "namespace"]',
      style: {
        "border-width": 4,
        "border-style": "double",
        height: nodeBoxHeight("namespace"),
        "font-size": 14,
      },
    },
    {
      selector: 'node[kind = "hidden"]',
      style: {
        "border-style": "dashed",
        "border-color": colors.accent,
        color: colors.accent,
        "background-color": colors.surfaceSubtle,
      },
    },
    {
      selector: 'node[kind = "group"]',
      style: {
        shape: "round-rectangle",
        "background-color": colors.surfaceSubtle,
        "background-opacity": 0.6,
        "border-width": 1,
        "border-color": colors.border,
        "border-style": "solid",
        label: "data(label)",
        "text-valign": "top",
        "text-halign": "center",
        "text-margin-y": -4,
        color: colors.textMuted,
        "font-size": 12,
        "font-weight": 600,
        padding: "18px",
      },
    },
    {
      selector: "node:selected",
      style: {
        "border-width": 3,
        "underlay-color": colors.accent,
        "underlay-opacity": 0.18,
        "underlay-padding": 6,
      },
    },
    {
      selector: "edge",
      style: {
        width: 2,
        // Straight edges skip Cytoscape's search for parallel bezier bundles, which cost
        // ~70 ms per update at 600 edges; a lone bezier edge is drawn straight anyway.
        // Calls both ways and self-calls stay bezier (below) so each stays visible.
        "curve-style": "straight",
        "target-arrow-shape": "triangle",
        "arrow-scale": 1.1,
        label: "data(label)",
        "font-family": FONT_FAMILY,
        // 12 px so that a demo-sized map fitted to the panel (zoom ~0.5) still shows its labels.
        "font-size": EDGE_FONT_SIZE,
        color: colors.text,
        "text-background-color": colors.surface,
        "text-background-opacity": 0.9,
        "text-background-padding": "3px",
        "text-background-shape": "roundrectangle",
        "min-zoomed-font-size": MIN_ZOOMED_FONT_SIZE,
      },
    },
    { selector: "edge[?twoWay], edge:loop", style: { "curve-style": "bezier" } },
    ...TONES.map((tone) => ({
      selector: `edge[tone = "${tone}"]`,
      style: { "line-color": colors.tones[tone], "target-arrow-color": colors.tones[tone] },
    })),
    { selector: 'edge[tone = "bad"]', style: { width: 3 } },
    {
      selector: "edge:selected",
      style: { width: 4, "underlay-color": colors.accent, "underlay-opacity": 0.2, "underlay-padding": 4 },
    },
    { selector: '[match = "dimmed"]', style: { opacity: 0.25 } },
    {
      selector: 'node[match = "found"]',
      style: { "underlay-color": colors.accent, "underlay-opacity": 0.3, "underlay-padding": 8 },
    },
    { selector: 'edge[match = "found"]', style: { width: 4 } },
    // Map diff: new calls and services in the accent colour, vanished ones dashed and faded.
    {
      selector: 'edge[diff = "new"]',
      style: { "line-color": colors.accent, "target-arrow-color": colors.accent, width: 3 },
    },
    { selector: 'edge[diff = "vanished"]', style: { "line-style": "dashed", opacity: 0.6 } },
    { selector: 'edge[diff = "unchanged"]', style: { opacity: 0.5 } },
    { selector: 'node[diff = "new"]', style: { "border-color": colors.accent, "border-width": 3 } },
    { selector: 'node[diff = "vanished"]', style: { "border-style": "dashed", opacity: 0.6 } },
  ];
}

/** The canvas colours from the page's CSS variables (app/globals.css), defaults where unset. */
export function readMapColors(read: (variable: string) => string): MapColors {
  const pick = (variable: string, fallback: string) => read(variable).trim() || fallback;
  const d = DEFAULT_MAP_COLORS;
  return {
    tones: {
      good: pick(TONE_CSS_VARIABLES.good, d.tones.good),
      warn: pick(TONE_CSS_VARIABLES.warn, d.tones.warn),
      bad: pick(TONE_CSS_VARIABLES.bad, d.tones.bad),
      idle: pick(TONE_CSS_VARIABLES.idle, d.tones.idle),
    },
    surface: pick("--surface", d.surface),
    surfaceSubtle: pick("--surface-subtle", d.surfaceSubtle),
    text: pick("--text", d.text),
    textMuted: pick("--text-muted", d.textMuted),
    border: pick("--border-strong", d.border),
    accent: pick("--accent", d.accent),
  };
}
