// The time range every view shows, in two modes (sloop #17, coroot PR #429):
// relative ("last 15 minutes": moves with the clock, live) and absolute (two
// instants: what a shared link stores and what a chart brush produces).

export const RELATIVE_PRESETS = ["5m", "15m", "1h", "6h", "24h", "7d"] as const;
export type RelativePreset = (typeof RELATIVE_PRESETS)[number];

export type TimeRange =
  | { kind: "relative"; preset: RelativePreset }
  | { kind: "absolute"; from: number; to: number };

/** The collector's own default window (shared-schemas.ts: "default to − 15 min"). */
export const DEFAULT_RANGE: TimeRange = { kind: "relative", preset: "15m" };

const MINUTE = 60_000;
const PRESET_MS: Record<RelativePreset, number> = {
  "5m": 5 * MINUTE,
  "15m": 15 * MINUTE,
  "1h": 60 * MINUTE,
  "6h": 6 * 60 * MINUTE,
  "24h": 24 * 60 * MINUTE,
  "7d": 7 * 24 * 60 * MINUTE,
};

const PRESET_LABELS: Record<RelativePreset, string> = {
  "5m": "Last 5 minutes",
  "15m": "Last 15 minutes",
  "1h": "Last hour",
  "6h": "Last 6 hours",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
};

export interface ResolvedRange {
  from: Date;
  to: Date;
}

export function isRelativePreset(value: string): value is RelativePreset {
  return (RELATIVE_PRESETS as readonly string[]).includes(value);
}

export function presetMs(preset: RelativePreset): number {
  return PRESET_MS[preset];
}

export function presetLabel(preset: RelativePreset): string {
  return PRESET_LABELS[preset];
}

/** The instants a range covers at `now` (epoch ms). */
export function resolveRange(range: TimeRange, now: number): ResolvedRange {
  if (range.kind === "absolute") return { from: new Date(range.from), to: new Date(range.to) };
  return { from: new Date(now - PRESET_MS[range.preset]), to: new Date(now) };
}

export function rangeSpanMs(range: TimeRange): number {
  return range.kind === "absolute" ? range.to - range.from : PRESET_MS[range.preset];
}

export function isLive(range: TimeRange): boolean {
  return range.kind === "relative";
}

export function sameRange(a: TimeRange, b: TimeRange): boolean {
  if (a.kind === "relative" && b.kind === "relative") return a.preset === b.preset;
  if (a.kind === "absolute" && b.kind === "absolute") return a.from === b.from && a.to === b.to;
  return false;
}

/**
 * How often a live range re-resolves "now": about 1/90 of the span (one bucket of a
 * 90-point chart moves in), between 5 s and 60 s so a 7-day view does not sit still
 * for hours and a 5-minute view does not refetch every second.
 */
export function liveTickMs(range: TimeRange): number | undefined {
  if (range.kind === "absolute") return undefined;
  return Math.min(60_000, Math.max(5_000, Math.round(PRESET_MS[range.preset] / 90)));
}

/** Freezes a relative range at `now`: what Share stores so a link shows the same window later. */
export function toAbsolute(range: TimeRange, now: number): TimeRange & { kind: "absolute" } {
  const { from, to } = resolveRange(range, now);
  return { kind: "absolute", from: from.getTime(), to: to.getTime() };
}

/** Twice the span around the same centre, ending no later than `now` (a "zoom out" button). */
export function zoomOut(range: TimeRange, now: number): TimeRange {
  const { from, to } = resolveRange(range, now);
  const span = to.getTime() - from.getTime();
  const end = Math.min(now, to.getTime() + span / 2);
  return { kind: "absolute", from: Math.round(end - span * 2), to: Math.round(end) };
}

/** "Last hour" or "08 Dec 02:10:00 – 02:25:00" (the date once when both ends share it). */
export function describeRange(range: TimeRange, timeZone?: string): string {
  if (range.kind === "relative") return PRESET_LABELS[range.preset];
  const day = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short", timeZone });
  const clock = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
    timeZone,
  });
  const fromDay = day.format(range.from);
  const toDay = day.format(range.to);
  const toText = fromDay === toDay ? clock.format(range.to) : `${toDay} ${clock.format(range.to)}`;
  return `${fromDay} ${clock.format(range.from)} – ${toText}`;
}
