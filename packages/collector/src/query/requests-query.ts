// Request search: every filter the history view offers, newest first, one
// page at a time with a keyset cursor (see request-id.ts for the order).
import type { QueryParams, Storage } from "../storage/storage.js";
import { encodeCursor, ROW_HASH_SQL, type RowKey } from "./request-id.js";
import { REQUEST_COLUMNS_SQL, type RequestRowOut, type RequestView, toRequestView } from "./request-view.js";
import { CLIENT_NAME_SQL, SERVER_NAME_SQL } from "./service-naming.js";
import { TIME_RANGE_CONDITION, type TimeRange, timeRangeParams } from "./time-range.js";

export type { EndpointView, RequestView } from "./request-view.js";

export interface RequestsFilter {
  range: TimeRange;
  protocol?: string;
  /** Matches the client or the server by its map name (service, ip:port or ip). */
  service?: string;
  /** The other end: with `service`, calls between the two in either direction; alone, either end. */
  peer?: string;
  operation?: string;
  /** Case-insensitive substring of the target (URL path, SQL text, key, topic…). */
  targetText?: string;
  status?: number;
  error?: boolean;
  minDurationNs?: bigint;
  maxDurationNs?: bigint;
  traceId?: string;
  /**
   * "one": a call observed by both of its ends is listed once, from the client's
   * side (the same rule the map counts by); "all": every observation.
   */
  observations: "one" | "all";
  limit: number;
  /** Continue strictly after this row (from the previous page's nextCursor). */
  after?: RowKey;
}

export interface RequestsPage {
  requests: RequestView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

// Both ends of one connection see the same (client ip:port, server ip:port);
// a server-side row on a connection whose client side was also traced is the
// second observation of a call already listed.
const SERVER_SIDE_SEEN_BY_CLIENT_EXCLUDED = `NOT (side = 'server' AND (client_ip, client_port, server_ip, server_port) IN (
  SELECT client_ip, client_port, server_ip, server_port FROM requests WHERE side = 'client' AND ${TIME_RANGE_CONDITION}))`;

const NAME_IS = (nameSql: string, param: string) => `${nameSql} = {${param}:String}`;

function endpointConditions(filter: RequestsFilter): string[] {
  const { service, peer } = filter;
  if (service !== undefined && peer !== undefined) {
    return [
      `((${NAME_IS(CLIENT_NAME_SQL, "service")} AND ${NAME_IS(SERVER_NAME_SQL, "peer")}) OR ` +
        `(${NAME_IS(SERVER_NAME_SQL, "service")} AND ${NAME_IS(CLIENT_NAME_SQL, "peer")}))`,
    ];
  }
  const either = service !== undefined ? "service" : peer !== undefined ? "peer" : undefined;
  if (either === undefined) return [];
  return [`(${NAME_IS(CLIENT_NAME_SQL, either)} OR ${NAME_IS(SERVER_NAME_SQL, either)})`];
}

function searchSql(filter: RequestsFilter): string {
  const conditions = [TIME_RANGE_CONDITION, ...endpointConditions(filter)];
  if (filter.protocol !== undefined) conditions.push("protocol = {protocol:String}");
  if (filter.operation !== undefined) conditions.push("operation = {operation:String}");
  if (filter.targetText !== undefined)
    conditions.push("positionCaseInsensitive(target, {target_text:String}) > 0");
  if (filter.status !== undefined) conditions.push("status = {status:Int32}");
  if (filter.error !== undefined) conditions.push("error = {error:Bool}");
  if (filter.minDurationNs !== undefined) conditions.push("duration_ns >= {min_duration_ns:UInt64}");
  if (filter.maxDurationNs !== undefined) conditions.push("duration_ns <= {max_duration_ns:UInt64}");
  if (filter.traceId !== undefined) conditions.push("trace_id = {trace_id:String}");
  if (filter.after !== undefined) {
    // The plain time bound lets ClickHouse prune parts; the tuple is the exact boundary.
    conditions.push(
      "time <= fromUnixTimestamp64Nano({after_ns:Int64}, 'UTC')",
      `(time, ${ROW_HASH_SQL}) < (fromUnixTimestamp64Nano({after_ns:Int64}, 'UTC'), {after_hash:UInt64})`,
    );
  }
  if (filter.observations === "one") conditions.push(SERVER_SIDE_SEEN_BY_CLIENT_EXCLUDED);
  return `
SELECT ${REQUEST_COLUMNS_SQL}
FROM requests
WHERE ${conditions.join("\n  AND ")}
ORDER BY time DESC, row_hash DESC
LIMIT {limit:UInt32}`;
}

function searchParams(filter: RequestsFilter): QueryParams {
  // One row beyond the page tells whether another page exists.
  const params: QueryParams = { ...timeRangeParams(filter.range), limit: filter.limit + 1 };
  const optional: Record<string, string | number | boolean | undefined> = {
    protocol: filter.protocol,
    service: filter.service,
    peer: filter.peer,
    operation: filter.operation,
    target_text: filter.targetText,
    status: filter.status,
    error: filter.error,
    min_duration_ns: filter.minDurationNs?.toString(),
    max_duration_ns: filter.maxDurationNs?.toString(),
    trace_id: filter.traceId,
    after_ns: filter.after?.timeNs,
    after_hash: filter.after?.hash,
  };
  for (const [name, value] of Object.entries(optional)) if (value !== undefined) params[name] = value;
  return params;
}

export async function queryRequests(storage: Storage, filter: RequestsFilter): Promise<RequestsPage> {
  const rows = await storage.select<RequestRowOut>(searchSql(filter), searchParams(filter));
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > filter.limit && last !== undefined
      ? encodeCursor({ timeNs: last.time_ns, hash: last.row_hash })
      : null;
  return { requests: page.map(toRequestView), nextCursor };
}
