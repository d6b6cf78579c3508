// Where a range's roll-up rows come from: whole hours inside the range from
// the hourly table, the ragged minutes at either end from the minute table
// (migration 0013, the metric series' roll-ups). A day of the map then adds
// ~24 histograms per edge and side instead of ~1,440, and the figures stay
// minute-exact at the ends.
// Every branch exposes its time as `minute`, so callers bucket one column.
//
// The minute tier is kept for PERISCOPE_ROLLUP_RETENTION_DAYS (30), the
// hourly one longer (365): a ragged end older than the minute tier has no
// minutes left, so it is read as the whole hour around it instead — the range
// widens to that hour rather than losing it.
import { DEFAULT_RETENTION } from "../storage/ddl-template.js";
import type { QueryParams } from "../storage/storage.js";
import type { TimeRange } from "./time-range.js";

export type RollupKind = "edges" | "services" | "endpoints";

// The figures every roll-up keeps (rollup-range.ts reads them).
const FIGURES =
  "requests, errors, request_bytes, response_bytes, duration_sum_ns, latency_zero_count, latency, status_classes";

const COLUMNS: Record<RollupKind, string> = {
  edges: `side, protocol, client_name, server_name, client_namespace, server_namespace, client_named, server_named, ${FIGURES}`,
  services: `side, protocol, service, namespace, ${FIGURES}`,
  endpoints: `side, service, protocol, operation, target, ${FIGURES}`,
};

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

let minuteRetentionDays: number = DEFAULT_RETENTION.rollupRetentionDays;

/** The minute tier's retention, as configured (startCollector sets it once). */
export function setMinuteRollupRetentionDays(days: number): void {
  minuteRetentionDays = days;
}

export interface RollupSource {
  /** A parenthesised subquery for FROM. */
  sql: string;
  params: QueryParams;
}

function branch(
  table: string,
  timeColumn: string,
  columns: string,
  prefix: string,
  conditions: readonly string[],
): string {
  const where = [
    `${timeColumn} >= toDateTime({${prefix}_from:Int64}, 'UTC')`,
    `${timeColumn} < toDateTime({${prefix}_to:Int64}, 'UTC')`,
    ...conditions,
  ].join(" AND ");
  const time = timeColumn === "minute" ? "minute" : `${timeColumn} AS minute`;
  return `SELECT ${time}, ${columns} FROM ${table} WHERE ${where}`;
}

/**
 * Minutes overlapping the range (from rounded down to its minute, to exclusive).
 * @param conditions filters on the roll-up's own columns, applied in every branch
 * @param hourly false when the caller buckets finer than an hour
 */
export function rollupSource(
  kind: RollupKind,
  range: TimeRange,
  conditions: readonly string[] = [],
  hourly = true,
  nowMs = Date.now(),
): RollupSource {
  const columns = COLUMNS[kind];
  const minutes = `metric_${kind}_1m`;
  const hours = `metric_${kind}_1h`;
  // Minutes before this may be gone (their day's partition dropped by TTL).
  const minutesSince = nowMs - minuteRetentionDays * DAY_MS;
  const expired = (ms: number) => hourly && ms < minutesSince;
  const firstMinute = Math.floor(range.fromMs / MINUTE_MS) * MINUTE_MS;
  const from = expired(firstMinute) ? Math.floor(firstMinute / HOUR_MS) * HOUR_MS : firstMinute;
  const to = expired(range.toMs) ? Math.ceil(range.toMs / HOUR_MS) * HOUR_MS : range.toMs;
  const firstHour = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const endHour = Math.floor(to / HOUR_MS) * HOUR_MS;
  const seconds = (ms: number) => Math.floor(ms / 1000);
  // Minute bounds may fall mid-minute (to); ceil keeps a partly covered minute in, as before.
  const minuteEnd = (ms: number) => Math.ceil(ms / 1000);
  if (!hourly || firstHour >= endHour) {
    return {
      sql: `(${branch(minutes, "minute", columns, "rs_m", conditions)})`,
      params: { rs_m_from: seconds(from), rs_m_to: minuteEnd(to) },
    };
  }
  // Ends already whole hours (an expired end widened to its hour) need no minute branch.
  const branches: string[] = [];
  const params: QueryParams = {};
  if (from < firstHour) {
    branches.push(branch(minutes, "minute", columns, "rs_head", conditions));
    Object.assign(params, { rs_head_from: seconds(from), rs_head_to: seconds(firstHour) });
  }
  branches.push(branch(hours, "hour", columns, "rs_hours", conditions));
  Object.assign(params, { rs_hours_from: seconds(firstHour), rs_hours_to: seconds(endHour) });
  if (endHour < to) {
    branches.push(branch(minutes, "minute", columns, "rs_tail", conditions));
    Object.assign(params, { rs_tail_from: seconds(endHour), rs_tail_to: minuteEnd(to) });
  }
  return { sql: `(${branches.join("\nUNION ALL\n")})`, params };
}
