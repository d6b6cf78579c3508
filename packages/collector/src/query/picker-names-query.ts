// Names for the UI's pickers (services, namespaces, operations, protocols)
// seen in a range, most requested first, optionally by prefix.
//
// All come from the metric roll-ups (migration 0030): services and namespaces
// from either end of the edges, operations from the endpoints, protocols from
// the services — exact to the minute, and counted from every request the
// agents saw, not from the records kept within their budget. A picker reads
// roll-up rows (a few per edge and minute or hour), never `requests`.
import type { QueryParams, Storage } from "../storage/storage.js";
import { type RollupKind, rollupSource } from "./rollup-source.js";
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

// Both ends of a call may be observed, each a row of its own side: a name
// counts the requests of the side that saw more of them, not both.
const REQUEST_COUNT =
  "toString(greatest(sumIf(requests, side = 'client'), sumIf(requests, side = 'server')))";

/** Each roll-up row offers the names of these columns. */
const NAME_COLUMNS: Record<Exclude<PickerKind, "protocol">, { rollup: RollupKind; columns: string }> = {
  service: { rollup: "edges", columns: "[client_name, server_name]" },
  namespace: { rollup: "edges", columns: "[client_namespace, server_namespace]" },
  operation: { rollup: "endpoints", columns: "[operation]" },
};

function namesSql(filter: PickerNamesFilter, source: string, columns: string): string {
  const conditions = ["name != ''"];
  if (filter.prefix !== undefined) conditions.push("startsWith(name, {prefix:String})");
  return `
SELECT name, ${REQUEST_COUNT} AS request_count
FROM ${source}
ARRAY JOIN ${columns} AS name
WHERE ${conditions.join(" AND ")}
GROUP BY name
ORDER BY toUInt64(request_count) DESC, name
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
    const { rollup, columns } = NAME_COLUMNS[filter.kind];
    const service = filter.kind === "operation" ? filter.service : undefined;
    const source = rollupSource(
      rollup,
      filter.range,
      service === undefined ? [] : ["service = {service:String}"],
    );
    if (service !== undefined) params.service = service;
    sql = namesSql(filter, source.sql, columns);
    Object.assign(params, source.params);
  }
  const rows = await storage.select<NameRow>(sql, params);
  return rows.map((row) => ({ name: row.name, requests: Number(row.request_count) }));
}
