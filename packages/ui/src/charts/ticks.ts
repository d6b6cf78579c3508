// Axis labels. Time ticks name only what changes across the range: clock
// minutes for an hour, day and hour for a week. Value ticks speak the chart's
// unit so the axis needs no title.
import { formatLatency } from "../format/formatLatency";

export type ValueUnit = "rate" | "ms" | "ratio" | "count";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A formatter for time ticks over a span, in `timeZone` (the viewer's own when undefined). */
export function timeTickFormatter(spanMs: number, timeZone?: string): (epochMs: number) => string {
  // Under ten minutes ticks fall within one minute of each other: seconds tell them apart.
  const options: Intl.DateTimeFormatOptions =
    spanMs <= 10 * 60_000
      ? { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone }
      : spanMs <= 2 * DAY_MS
        ? { hour: "2-digit", minute: "2-digit", hour12: false, timeZone }
        : spanMs <= 14 * DAY_MS
          ? { weekday: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false, timeZone }
          : { month: "short", day: "numeric", timeZone };
  const format = new Intl.DateTimeFormat("en-GB", options);
  return (epochMs) => format.format(new Date(epochMs));
}

/** A full timestamp for tooltips: the bucket's start, seconds included. */
export function tooltipTimeFormatter(timeZone?: string): (epochMs: number) => string {
  const format = new Intl.DateTimeFormat("en-GB", {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
    timeZone,
  });
  return (epochMs) => format.format(new Date(epochMs));
}

function trim(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** A value in the chart's unit: "12 req/s", "0.35 req/s", "4.5 %", "120 ms". */
export function formatValue(value: number | null, unit: ValueUnit): string {
  if (value === null || !Number.isFinite(value)) return "—";
  switch (unit) {
    case "rate":
      // A service called twice in an hour is not idle: "0 req/s" would say it was.
      return value > 0 && value < 0.01 ? "<0.01 req/s" : `${formatPlain(value)} req/s`;
    case "ratio":
      return `${trim((value * 100).toFixed(value * 100 < 10 ? 2 : 1))} %`;
    case "ms":
      return formatLatency(value);
    case "count":
      return formatPlain(value);
  }
}

/** Axis ticks: the same unit, shorter ("12/s", "5%", "120 ms"). */
export function formatTick(value: number, unit: ValueUnit): string {
  switch (unit) {
    case "rate":
      return `${formatPlain(value)}/s`;
    case "ratio":
      return `${trim((value * 100).toFixed(2))}%`;
    case "ms":
      return value >= 1000 ? `${trim((value / 1000).toFixed(2))} s` : `${trim(value.toFixed(2))} ms`;
    case "count":
      return formatPlain(value);
  }
}

function formatPlain(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1_000_000) return `${trim((value / 1_000_000).toFixed(1))}M`;
  if (abs >= 10_000) return `${Math.round(value / 1000)}k`;
  if (abs >= 1000) return `${trim((value / 1000).toFixed(1))}k`;
  if (abs >= 10) return String(Math.round(value));
  return trim(value.toFixed(2));
}
