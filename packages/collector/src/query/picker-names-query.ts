// Names for the UI's pickers (services, namespaces, operations, protocols)
// seen in a range, most requested first, optionally by prefix.
//
// Services, namespaces and operations come from `picker_names` (migration
// 0005), one row per name per day kept by a materialized view: a picker reads
// a few thousand rows, never `requests`. Its granularity is the day, so a
// name is listed when its first and last sighting on the range's days bracket
// any of the range, and its count is the whole days' count. Protocols are not
// in that table; they are read from the service roll-ups, exact to the minute.
import type { QueryParams, Storage } from "../storage/storage.js";
import { rollupSource } from "./rollup-source.js";
import type { TimeRange } from "./time-range.js";

export const PICKER_KINDS = ["service", "operation", "namespace", "protocol"] as const;
export type PickerKind = (typeof PICKER_KINDS)[number];

export interface PickerNamesFilter {
  kind: PickerKind;
  range: TimeRange;
  /** Case-sensitive: names that start with it (a bound parameter, never SQL text). */
  prefix?: string;
  /** For operations: only this service's (the server's map name); others ignore it. */
  service?: string;
  limit: number;
}

export interface PickerName {
  name: string;
  requests: number;
}

interface NameRow {
  name: string;
  request_count: string;
}

function pickerNamesSql(filter: PickerNamesFilter): string {
  const conditions = [
    "kind = {kind:String}",
    "day >= toDate(fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC'))",
    "day <= toDate(fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC'))",
  ];
  if (filter.prefix !== undefined) conditions.push("startsWith(name, {prefix:String})");
  if (filter.kind === "operation" && filter.service !== undefined)
    conditions.push("scope = {service:String}");
  // Rows are summed per name: the same name under several scopes (operations
  // of different services), days or unmerged parts is one picker entry.
  return `
SELECT name, toString(sum(requests)) AS request_count
FROM picker_names
WHERE ${conditions.join("\n  AND ")}
GROUP BY name
HAVING max(last_seen) >= toDateTime(intDiv({from_ms:Int64}, 1000), 'UTC')
   AND min(first_seen) < toDateTime(intDiv({to_ms:Int64} + 999, 1000), 'UTC')
ORDER BY sum(requests) DESC, name
LIMIT {limit:UInt32}`;
}

function protocolsSql(filter: PickerNamesFilter, source: string): string {
  const prefix = filter.prefix === undefined ? "" : "\nWHERE startsWith(protocol, {prefix:String})";
  return `
SELECT protocol AS name, toString(sum(requests)) AS request_count
FROM ${source}${prefix}
GROUP BY protocol
ORDER BY sum(requests) DESC, name
LIMIT {limit:UInt32}`;
}

export async function queryPickerNames(storage: Storage, filter: PickerNamesFilter): Promise<PickerName[]> {
  const params: QueryParams = { limit: filter.limit };
  if (filter.prefix !== undefined) params.prefix = filter.prefix;
  let sql: string;
  if (filter.kind === "protocol") {
    const source = rollupSource("services", filter.range);
    sql = protocolsSql(filter, source.sql);
    Object.assign(params, source.params);
  } else {
    sql = pickerNamesSql(filter);
    Object.assign(params, { kind: filter.kind, from_ms: filter.range.fromMs, to_ms: filter.range.toMs });
    if (filter.kind === "operation" && filter.service !== undefined) params.service = filter.service;
  }
  const rows = await storage.select<NameRow>(sql, params);
  return rows.map((row) => ({ name: row.name, requests: Number(row.request_count) }));
}
