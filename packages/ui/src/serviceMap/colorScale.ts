// Node and edge colours by error rate or by latency, with the thresholds the legend
// prints. The thresholds are Pixie's service-map defaults (errors: green below 1%, red
// above 2%; p99: green below 100 ms, red above 200 ms), so a user coming from there reads
// the colours the same way; the band between is amber.
import { formatLatency } from "../format/formatLatency";
import type { MapFigures } from "./mapModel";

export type ColorMode = "errors" | "latency";
export type Tone = "good" | "warn" | "bad" | "idle";

export interface Thresholds {
  /** At or above this the tone is warn. */
  warn: number;
  /** Above this the tone is bad. */
  bad: number;
}

export const ERROR_THRESHOLDS: Thresholds = { warn: 0.01, bad: 0.02 };
export const LATENCY_THRESHOLDS_MS: Thresholds = { warn: 100, bad: 200 };

/** The CSS variable (app/globals.css) each tone takes its colour from, on the canvas and in the legend. */
export const TONE_CSS_VARIABLES: Record<Tone, string> = {
  good: "--health-healthy",
  warn: "--health-degraded",
  bad: "--health-failing",
  idle: "--health-idle",
};

export function toneOf(
  mode: ColorMode,
  figures: Pick<MapFigures, "requestCount" | "errorRatio" | "p99Ms">,
): Tone {
  if (figures.requestCount <= 0) return "idle";
  const value = mode === "errors" ? figures.errorRatio : figures.p99Ms;
  const thresholds = mode === "errors" ? ERROR_THRESHOLDS : LATENCY_THRESHOLDS_MS;
  if (value > thresholds.bad) return "bad";
  if (value >= thresholds.warn) return "warn";
  return "good";
}

/**
 * Unhealthy whatever the colour mode: errors at or above the error warn threshold, or a
 * p99 past the latency bad threshold. The unhealthy-only mode keeps these.
 */
export function isUnhealthy(figures: Pick<MapFigures, "requestCount" | "errorRatio" | "p99Ms">): boolean {
  return (
    toneOf("errors", figures) === "warn" ||
    toneOf("errors", figures) === "bad" ||
    toneOf("latency", figures) === "bad"
  );
}

export interface LegendEntry {
  tone: Tone;
  label: string;
}

/** What the legend says for a mode: each colour and the range it stands for. */
export function legendFor(mode: ColorMode): { title: string; entries: LegendEntry[] } {
  if (mode === "errors") {
    const { warn, bad } = ERROR_THRESHOLDS;
    return {
      title: "Colour: error rate",
      entries: [
        { tone: "good", label: `< ${percent(warn)}` },
        { tone: "warn", label: `${percent(warn)}–${percent(bad)}` },
        { tone: "bad", label: `> ${percent(bad)}` },
        { tone: "idle", label: "no requests" },
      ],
    };
  }
  const { warn, bad } = LATENCY_THRESHOLDS_MS;
  return {
    title: "Colour: p99 latency",
    entries: [
      { tone: "good", label: `< ${formatLatency(warn)}` },
      { tone: "warn", label: `${formatLatency(warn)}–${formatLatency(bad)}` },
      { tone: "bad", label: `> ${formatLatency(bad)}` },
      { tone: "idle", label: "no requests" },
    ],
  };
}

function percent(ratio: number): string {
  return `${Number((ratio * 100).toFixed(2))}%`;
}
