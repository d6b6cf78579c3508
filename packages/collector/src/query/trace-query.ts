// Every request of one trace within a time range, as a span tree.
import { PARENT_INFERRED_ATTRIBUTE } from "@periscope/proto";
import type { Storage } from "../storage/storage.js";
import { REQUEST_COLUMNS_SQL, type RequestRowOut, toRequestView } from "./request-view.js";
import { TIME_RANGE_CONDITION, type TimeRange, timeRangeParams } from "./time-range.js";
import { joinServerEnds } from "./trace-server-ends.js";
import { buildTraceTree, type TraceSpan } from "./trace-tree.js";

/** A trace is a page of spans, not a bulk export: beyond this the answer says it was cut. */
export const MAX_TRACE_REQUESTS = 10_000;

export interface TraceView {
  traceId: string;
  requestCount: number;
  /** True when the trace had more than MAX_TRACE_REQUESTS requests in the range. */
  truncated: boolean;
  spans: TraceSpan[];
}

// The bloom-filter skip index on trace_id makes this a needle lookup.
const TRACE_SQL = `
SELECT ${REQUEST_COLUMNS_SQL}, attributes['${PARENT_INFERRED_ATTRIBUTE}'] AS parent_inferred
FROM requests
WHERE ${TIME_RANGE_CONDITION} AND trace_id = {trace_id:String}
ORDER BY time
LIMIT {limit:UInt32}`;

const TRACE_SPAN_SQL = `
SELECT count() AS days,
       toString(toUnixTimestamp64Milli(min(start_time))) AS start_ms,
       toString(toUnixTimestamp64Milli(max(end_time))) AS end_ms
FROM trace_index
WHERE trace_id = {trace_id:String}`;

/**
 * Where a trace lives, from the trace index (maintained by a materialized
 * view on requests), so fetching it by id alone reads only its hours.
 * Undefined when the index does not know the trace.
 */
export async function traceTimeRange(storage: Storage, traceId: string): Promise<TimeRange | undefined> {
  const [row] = await storage.select<{ days: string; start_ms: string; end_ms: string }>(TRACE_SPAN_SQL, {
    trace_id: traceId,
  });
  if (row === undefined || Number(row.days) === 0) return undefined;
  // Half-open ranges: one millisecond past the last span's end includes it.
  return { fromMs: Number(row.start_ms), toMs: Number(row.end_ms) + 1 };
}

export async function queryTrace(storage: Storage, traceId: string, range: TimeRange): Promise<TraceView> {
  const rows = await storage.select<RequestRowOut & { parent_inferred: string }>(TRACE_SQL, {
    ...timeRangeParams(range),
    trace_id: traceId,
    limit: MAX_TRACE_REQUESTS + 1,
  });
  const kept = rows.slice(0, MAX_TRACE_REQUESTS);
  const requests = kept.map(toRequestView);
  const parentFromThread = new Set(
    requests.filter((_, i) => kept[i]?.parent_inferred === "thread").map((request) => request.id),
  );
  const serverEnds = await joinServerEnds(storage, requests);
  return {
    traceId,
    requestCount: requests.length,
    truncated: rows.length > MAX_TRACE_REQUESTS,
    spans: buildTraceTree([...requests, ...serverEnds.views], {
      parentFromThread,
      joinedByConnection: serverEnds.ids,
    }),
  };
}
