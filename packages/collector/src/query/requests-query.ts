// Request search: every filter the history view offers, newest first, one
// page at a time with a keyset cursor over (time, row hash) (request-id.ts).
//
// Sorting on time alone keeps ClickHouse's top-N cheap: it reads the other
// columns only for the rows it returns (WITH TIES, or a hash in ORDER BY,
// lose that: 5-10x slower at 3M rows). Rows sharing a nanosecond are
// completed by an exact-time query and put in hash order here.
import type { QueryParams, Storage } from "../storage/storage.js";
import { inSubquery } from "./distributed-subquery.js";
import { type KubernetesFilter, kubernetesConditions, kubernetesParams } from "./kubernetes-filter.js";
import { encodeCursor, type RowKey } from "./request-id.js";
import {
  keyed,
  newestFirst,
  REQUEST_COLUMNS_SQL,
  type RequestRowOut,
  type RequestView,
  toRequestView,
} from "./request-view.js";
import { TIME_RANGE_CONDITION, type TimeRange, timeRangeParams } from "./time-range.js";

export type { EndpointView, RequestView } from "./request-view.js";

/** Kubernetes fields (namespace, workload, pod, node) match either end. */
export interface RequestsFilter extends KubernetesFilter {
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
  sampling: PageSampling;
}

/**
 * Whether the records listed were sampled, and by how much: agents keep
 * records within a budget (errors, slow and traced requests first, the rest
 * uniformly), each with its weight. Exact counts are the map's and RED's,
 * which read the metric series; a count from records is an estimate.
 */
export interface PageSampling {
  /** True when any record listed stands for more than itself (weight > 1). */
  sampled: boolean;
  /** Records on this page. */
  records: number;
  /** The sum of their weights: an estimate of the requests they stand for. */
  estimatedRequests: number;
  /** The largest weight on the page (1 when nothing was sampled out). */
  maxSampleWeight: number;
}

export function pageSampling(requests: readonly RequestView[]): PageSampling {
  let estimatedRequests = 0;
  let maxSampleWeight = requests.length === 0 ? 1 : 0;
  for (const request of requests) {
    estimatedRequests += request.sampleWeight;
    maxSampleWeight = Math.max(maxSampleWeight, request.sampleWeight);
  }
  return {
    sampled: maxSampleWeight > 1,
    records: requests.length,
    estimatedRequests: Math.round(estimatedRequests * 1000) / 1000,
    maxSampleWeight: Math.round(maxSampleWeight * 1000) / 1000,
  };
}

// Both ends of one connection see the same (client ip:port, server ip:port);
// a server-side row whose client side was traced too is the second
// observation of a call already listed. The two observations of one call are
// stamped within clock skew of each other, so the client rows are looked for
// only around the rows being listed (a window), never across the whole range:
// a set of every connection in a day is what made this filter slow. Within
// the window only the connections of server-side rows that pass the search's
// own filters are looked for: the set stays as small as the result, and the
// bloom filter on connection_hash (migration 0026) skips the granules of
// every other connection. Without that restriction a filter matching few rows
// in an hour of 42M still collected every client-side connection of the
// hour (1.3 s at 4M rows, bench/lib/search-hour.ts).
const OTHER_END_SKEW_NS = 5_000_000_000n;
// The other end may be on another shard in a cluster: see distributed-subquery.ts.
// connection_hash stands for (client ip, port, server ip, port): migration 0026.
function serverSideSeenByClientExcluded(conditions: readonly string[]): string {
  const listedServerSide = `
    SELECT connection_hash FROM requests
    WHERE ${[...conditions, "side = 'server'"].join("\n      AND ")}`;
  return `NOT (side = 'server' AND ${inSubquery(
    "connection_hash",
    `
  SELECT connection_hash FROM requests
  WHERE side = 'client'
    AND time >= fromUnixTimestamp64Nano({seen_from_ns:Int64}, 'UTC')
    AND time <= fromUnixTimestamp64Nano({seen_to_ns:Int64}, 'UTC')
    AND ${inSubquery("connection_hash", listedServerSide)}`,
  )})`;
}

// The map names of both ends, stored at insert (migration 0026: the naming
// SQL of service-naming.ts, materialized, with a bloom filter over the pair).
const CLIENT_NAME = "client_name";
const SERVER_NAME = "server_name";
const NAME_IS = (column: string, param: string) => `${column} = {${param}:String}`;

function endpointConditions(filter: RequestsFilter): string[] {
  const { service, peer } = filter;
  if (service !== undefined && peer !== undefined) {
    return [
      `((${NAME_IS(CLIENT_NAME, "service")} AND ${NAME_IS(SERVER_NAME, "peer")}) OR ` +
        `(${NAME_IS(SERVER_NAME, "service")} AND ${NAME_IS(CLIENT_NAME, "peer")}))`,
    ];
  }
  const either = service !== undefined ? "service" : peer !== undefined ? "peer" : undefined;
  if (either === undefined) return [];
  return [`(${NAME_IS(CLIENT_NAME, either)} OR ${NAME_IS(SERVER_NAME, either)})`];
}

function filterConditions(filter: RequestsFilter): string[] {
  const conditions = [TIME_RANGE_CONDITION, ...endpointConditions(filter), ...kubernetesConditions(filter)];
  if (filter.protocol !== undefined) conditions.push("protocol = {protocol:String}");
  if (filter.operation !== undefined) conditions.push("operation = {operation:String}");
  if (filter.targetText !== undefined) {
    conditions.push("positionCaseInsensitive(target, {target_text:String}) > 0");
  }
  if (filter.status !== undefined) conditions.push("status = {status:Int32}");
  if (filter.error !== undefined) conditions.push("error = {error:Bool}");
  if (filter.minDurationNs !== undefined) conditions.push("duration_ns >= {min_duration_ns:UInt64}");
  if (filter.maxDurationNs !== undefined) conditions.push("duration_ns <= {max_duration_ns:UInt64}");
  if (filter.traceId !== undefined) conditions.push("trace_id = {trace_id:String}");
  if (filter.after !== undefined) conditions.push("time <= fromUnixTimestamp64Nano({after_ns:Int64}, 'UTC')");
  return conditions;
}

const rowsSql = (conditions: string[], tail: string) => `
SELECT ${REQUEST_COLUMNS_SQL}
FROM requests
WHERE ${conditions.join("\n  AND ")}
${tail}`;

// ClickHouse 25.x filters a top-N query's rows by a running threshold
// (use_top_k_dynamic_filtering); on a selective search it made the page ~5x
// slower (42M rows in an hour, service+status+min duration: 800 ms with it,
// 170 ms without; bench/lib/search-hour.ts). Turned off where the engine has
// the setting: an older server refuses a setting it does not know.
const TOP_K_SETTING = "use_top_k_dynamic_filtering";
const topKSettings = new WeakMap<Storage, Promise<string>>();

function searchSettings(storage: Storage): Promise<string> {
  let found = topKSettings.get(storage);
  if (found === undefined) {
    found = storage
      .select<{ known: number }>("SELECT count() AS known FROM system.settings WHERE name = {name:String}", {
        name: TOP_K_SETTING,
      })
      .then((rows) => (Number(rows[0]?.known ?? 0) > 0 ? `\nSETTINGS ${TOP_K_SETTING} = 0` : ""))
      .catch(() => "");
    topKSettings.set(storage, found);
  }
  return found;
}

/** At most ~44 KiB of literals per twin lookup. */
const HASHES_PER_LOOKUP = 2_000;

/** Bounds a pathological tie group (a bulk import stamping one time on every row). */
const MAX_ROWS_PER_NANOSECOND = 10_000;

function searchParams(filter: RequestsFilter): QueryParams {
  // One row beyond the page tells whether another page exists.
  const params: QueryParams = {
    ...timeRangeParams(filter.range),
    ...kubernetesParams(filter),
    limit: filter.limit + 1,
  };
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
  };
  for (const [name, value] of Object.entries(optional)) if (value !== undefined) params[name] = value;
  return params;
}

class PageQuery {
  private readonly params: QueryParams;
  private readonly conditions: string[];

  constructor(
    private readonly storage: Storage,
    private readonly filter: RequestsFilter,
  ) {
    this.params = searchParams(filter);
    this.conditions = filterConditions(filter);
  }

  /** Rows with exactly this time (a tie group), one-observation rule applied around it. */
  sameTime(timeNs: string): Promise<RequestRowOut[]> {
    const conditions = [...this.conditions, "time = fromUnixTimestamp64Nano({group_ns:Int64}, 'UTC')"];
    return this.select(conditions, `LIMIT ${MAX_ROWS_PER_NANOSECOND}`, BigInt(timeNs), BigInt(timeNs), {
      group_ns: timeNs,
    });
  }

  /** Up to limit+1 rows strictly older than `beforeNs`, newest first. */
  async older(beforeNs: bigint): Promise<RequestRowOut[]> {
    const olderThan = "time < fromUnixTimestamp64Nano({before_ns:Int64}, 'UTC')";
    const conditions = [...this.conditions, olderThan];
    if (this.filter.observations === "all") {
      const limited = "ORDER BY time DESC\nLIMIT {limit:UInt32}";
      return this.select(conditions, limited, 0n, 0n, { before_ns: beforeNs.toString() });
    }
    // Newest rows in growing batches; a batch's server-side rows whose
    // client-side twin exists are dropped (one cheap lookup by connection per
    // batch) until a page is left or the range is exhausted. Each batch is one
    // filtered top-N pass over the range: the filter's skip indexes bound it,
    // where a window found first would have cost a pass of its own.
    const kept: RequestRowOut[] = [];
    let before = beforeNs;
    for (let batchRows = (this.filter.limit + 1) * 2; ; batchRows *= 4) {
      const rows = await this.storage.select<RequestRowOut & { connection_hash: string }>(
        `SELECT ${REQUEST_COLUMNS_SQL}, toString(connection_hash) AS connection_hash
FROM requests
WHERE ${conditions.join("\n  AND ")}
ORDER BY time DESC
LIMIT ${batchRows}${await searchSettings(this.storage)}`,
        { ...this.params, before_ns: before.toString() },
      );
      const oldest = rows.at(-1);
      const more = rows.length === batchRows && oldest !== undefined;
      // A LIMIT may cut the oldest nanosecond's rows: the next batch fetches them whole.
      const settled = more ? rows.filter((row) => row.time_ns !== oldest.time_ns) : rows;
      const twins = await this.clientObserved(settled);
      for (const row of settled) {
        if (row.side === "server" && twins.has(row.connection_hash)) continue;
        const { connection_hash: _hash, ...view } = row;
        kept.push(view);
      }
      if (!more || kept.length > this.filter.limit) return kept;
      before = BigInt(oldest.time_ns) + 1n;
    }
  }

  /** connection_hash of the rows' server-side observations that a client-side row also observed. */
  private async clientObserved(
    rows: readonly (RequestRowOut & { connection_hash: string })[],
  ): Promise<Set<string>> {
    const server = rows.filter((row) => row.side === "server");
    if (server.length === 0) return new Set();
    let fromNs = BigInt(server[0]?.time_ns ?? 0);
    let toNs = fromNs;
    for (const row of server) {
      const ns = BigInt(row.time_ns);
      if (ns < fromNs) fromNs = ns;
      if (ns > toNs) toNs = ns;
    }
    // The hashes are the engine's own UInt64s, read back above, never request
    // text; written as literals because a bound Array(UInt64) cannot carry
    // values above 2^53 (the client sends JS numbers, strings do not parse).
    const hashes = [...new Set(server.map((row) => row.connection_hash))];
    for (const hash of hashes) {
      if (!/^\d{1,20}$/.test(hash)) throw new Error(`connection_hash ${hash} is not a UInt64`);
    }
    // Chunks keep a statement far below max_query_size (256 KiB by default).
    const found: { connection_hash: string }[] = [];
    for (let at = 0; at < hashes.length; at += HASHES_PER_LOOKUP) {
      const chunk = hashes.slice(at, at + HASHES_PER_LOOKUP);
      found.push(
        ...(await this.storage.select<{ connection_hash: string }>(
          `SELECT DISTINCT toString(connection_hash) AS connection_hash FROM requests
WHERE side = 'client'
  AND time >= fromUnixTimestamp64Nano({seen_from_ns:Int64}, 'UTC')
  AND time <= fromUnixTimestamp64Nano({seen_to_ns:Int64}, 'UTC')
  AND connection_hash IN (${chunk.join(", ")})`,
          {
            seen_from_ns: (fromNs - OTHER_END_SKEW_NS).toString(),
            seen_to_ns: (toNs + OTHER_END_SKEW_NS).toString(),
          },
        )),
      );
    }
    return new Set(found.map((row) => row.connection_hash));
  }

  private async select(
    conditions: string[],
    tail: string,
    fromNs: bigint,
    toNs: bigint,
    extra: QueryParams,
  ): Promise<RequestRowOut[]> {
    const params = { ...this.params, ...extra };
    if (this.filter.observations === "one") {
      conditions = [...conditions, serverSideSeenByClientExcluded(conditions)];
      params.seen_from_ns = (fromNs - OTHER_END_SKEW_NS).toString();
      params.seen_to_ns = (toNs + OTHER_END_SKEW_NS).toString();
    }
    const settings = await searchSettings(this.storage);
    return this.storage.select<RequestRowOut>(rowsSql(conditions, `${tail}${settings}`), params);
  }
}

export async function queryRequests(storage: Storage, filter: RequestsFilter): Promise<RequestsPage> {
  const query = new PageQuery(storage, filter);
  const after = filter.after;
  const beforeNs = after === undefined ? BigInt(filter.range.toMs) * 1_000_000n : BigInt(after.timeNs);
  const [older, atCursor] = await Promise.all([
    query.older(beforeNs),
    after === undefined ? [] : query.sameTime(after.timeNs),
  ]);
  // Rows of the cursor's nanosecond that sort after it were not on the previous page.
  const rows = atCursor.map(keyed).filter((row) => after !== undefined && row.hash < after.hash);
  const oldest = older.at(-1);
  if (older.length > filter.limit && oldest !== undefined) {
    // The LIMIT may have cut the oldest nanosecond's group: fetch it whole.
    const group = await query.sameTime(oldest.time_ns);
    rows.push(...older.filter((row) => row.time_ns !== oldest.time_ns).map(keyed), ...group.map(keyed));
  } else {
    rows.push(...older.map(keyed));
  }
  rows.sort(newestFirst);
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > filter.limit && last !== undefined
      ? encodeCursor({ timeNs: last.row.time_ns, hash: last.hash })
      : null;
  const requests = page.map((entry) => toRequestView(entry.row));
  return { requests, nextCursor, sampling: pageSampling(requests) };
}
