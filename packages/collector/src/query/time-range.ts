// Parses the `from`/`to` query parameters shared by every time-bounded endpoint.
import { badRequest } from "../http/api-error.js";

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

export const DEFAULT_RANGE_MS = 15 * 60 * 1000;
export const MAX_RANGE_MS = 31 * 24 * 60 * 60 * 1000;

const EPOCH_MILLIS = /^\d{1,15}$/;
// Date.parse accepts many loose forms ("1", "March 7"); only ISO-8601 is part of the contract.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseInstant(raw: string): number {
  const text = raw.trim();
  if (EPOCH_MILLIS.test(text)) return Number(text);
  if (ISO_8601.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  return Number.NaN;
}

function instantOrDefault(name: string, raw: string | undefined, fallback: () => number): number {
  if (raw === undefined || raw === "") return fallback();
  const ms = parseInstant(raw);
  if (Number.isNaN(ms)) {
    throw badRequest(`${name} must be epoch milliseconds or an ISO-8601 timestamp, got "${raw}"`);
  }
  return ms;
}

export function parseTimeRange(query: { from?: string; to?: string }, nowMs: number = Date.now()): TimeRange {
  const toMs = instantOrDefault("to", query.to, () => nowMs);
  const fromMs = instantOrDefault("from", query.from, () => toMs - DEFAULT_RANGE_MS);
  if (fromMs >= toMs) throw badRequest("from must be earlier than to");
  if (toMs - fromMs > MAX_RANGE_MS) throw badRequest("the time range must be at most 31 days");
  return { fromMs, toMs };
}

/** The SQL condition for a range, with its parameters (half-open: from ≤ time < to). */
export const TIME_RANGE_CONDITION =
  "time >= fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC') AND time < fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')";

export function timeRangeParams(range: TimeRange): { from_ms: number; to_ms: number } {
  return { from_ms: range.fromMs, to_ms: range.toMs };
}
