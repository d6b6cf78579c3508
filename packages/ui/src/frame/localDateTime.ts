// <input type="datetime-local"> speaks the viewer's wall clock without a zone
// ("2026-12-08T02:15:00"); the frame speaks epoch ms. These convert between them.

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** Epoch ms → "YYYY-MM-DDTHH:MM:SS" in the viewer's zone. */
export function toLocalInput(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "YYYY-MM-DDTHH:MM[:SS]" in the viewer's zone → epoch ms; undefined when incomplete. */
export function fromLocalInput(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!match) return undefined;
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = match.slice(1).map((part) => Number(part ?? 0));
  const date = new Date(y, mo - 1, d, h, mi, s);
  return Number.isNaN(date.getTime()) ? undefined : date.getTime();
}

/** A range the custom-range form may apply, or why not. */
export function checkCustomRange(fromText: string, toText: string): { from: number; to: number } | string {
  const from = fromLocalInput(fromText);
  const to = fromLocalInput(toText);
  if (from === undefined) return "Enter a start date and time";
  if (to === undefined) return "Enter an end date and time";
  if (to <= from) return "The end must be after the start";
  return { from, to };
}
