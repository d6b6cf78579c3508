/**
 * Wall-clock time of a request with milliseconds (requests a few ms apart must read
 * apart). `timeZone` defaults to the viewer's own; tests pin it.
 */
export function formatTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (iso === "" || Number.isNaN(date.getTime())) return "—";
  return `${formatClock(date.getTime(), timeZone)}.${String(date.getUTCMilliseconds()).padStart(3, "0")}`;
}

/** HH:MM:SS, 24-hour, for "updated at" stamps. */
export function formatClock(epochMs: number, timeZone?: string): string {
  if (!Number.isFinite(epochMs)) return "—";
  return new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
    timeZone,
  }).format(new Date(epochMs));
}
