/**
 * Wall-clock time of a request with milliseconds (requests a few ms apart must read
 * apart). `timeZone` defaults to the viewer's own; tests pin it.
 */
export function formatTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (iso === "" || Number.isNaN(date.getTime())) return "—";
  const clock = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
    timeZone,
  }).format(date);
  return `${clock}.${String(date.getUTCMilliseconds()).padStart(3, "0")}`;
}
