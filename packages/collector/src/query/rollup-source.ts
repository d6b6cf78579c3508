// Where a range's roll-up rows come from: whole hours inside the range from
// the hourly table, the ragged minutes at either end from the minute table
// (migration 0013, the metric series' roll-ups). A day of the map then adds
// ~24 histograms per edge and side instead of ~1,440, and the figures stay
// minute-exact at the ends.
// Every branch exposes its time as `minute`, so callers bucket one column.
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
): RollupSource {
  const columns = COLUMNS[kind];
  const minutes = `metric_${kind}_1m`;
  const hours = `metric_${kind}_1h`;
  const from = Math.floor(range.fromMs / MINUTE_MS) * MINUTE_MS;
  const to = range.toMs;
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
  return {
    sql: `(${[
      branch(minutes, "minute", columns, "rs_head", conditions),
      branch(hours, "hour", columns, "rs_hours", conditions),
      branch(minutes, "minute", columns, "rs_tail", conditions),
    ].join("\nUNION ALL\n")})`,
    params: {
      rs_head_from: seconds(from),
      rs_head_to: seconds(firstHour),
      rs_hours_from: seconds(firstHour),
      rs_hours_to: seconds(endHour),
      rs_tail_from: seconds(endHour),
      rs_tail_to: minuteEnd(to),
    },
  };
}
