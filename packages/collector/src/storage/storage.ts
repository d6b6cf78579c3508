import type { ClickHouseClient } from "@clickhouse/client";
import { createClickHouseBackend, type StorageTarget, type TsvInsert } from "./clickhouse-client.js";

export type QueryParams = Record<string, string | number | boolean | readonly string[]>;

/** The small surface the collector needs from ClickHouse, identical for both backends. */
export interface Storage {
  readonly kind: StorageTarget["kind"];
  /** Runs a SELECT; 64-bit integers come back as strings on both backends. */
  select<Row>(sql: string, params?: QueryParams): Promise<Row[]>;
  /** Runs DDL or another statement without a result set. */
  command(sql: string, params?: QueryParams): Promise<void>;
  /** Inserts all rows in one INSERT … FORMAT JSONEachRow. */
  insertRows(table: string, rows: readonly object[]): Promise<void>;
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

/** The ingest hot path: pre-serialised TabSeparated lines (UTF-8) into these columns, in one INSERT. */
export interface TsvInserter {
  insertTsv(table: string, columns: readonly string[], body: Buffer): Promise<void>;
}

// Quoting 64-bit integers makes both backends return the same JSON (chdb's
// default leaves them unquoted) and keeps values above 2^53 exact.
const SELECT_SETTINGS = { output_format_json_quote_64bit_integers: 1 } as const;

class ClickHouseStorage implements Storage, TsvInserter {
  constructor(
    readonly kind: StorageTarget["kind"],
    private readonly client: ClickHouseClient,
    private readonly tsvInsert: TsvInsert,
  ) {}

  async select<Row>(sql: string, params: QueryParams = {}): Promise<Row[]> {
    const result = await this.client.query({
      query: sql,
      query_params: params,
      format: "JSONEachRow",
      clickhouse_settings: SELECT_SETTINGS,
    });
    return result.json<Row>();
  }

  async command(sql: string, params: QueryParams = {}): Promise<void> {
    await this.client.command({ query: sql, query_params: params });
  }

  async insertRows(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    await this.client.insert({ table, values: rows as object[], format: "JSONEachRow" });
  }

  async insertTsv(table: string, columns: readonly string[], body: Buffer): Promise<void> {
    if (body.length === 0) return;
    await this.tsvInsert(table, columns, body);
  }

  async isReachable(): Promise<boolean> {
    const result = await this.client.ping();
    return result.success;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export function openStorage(target: StorageTarget): Storage & TsvInserter {
  const backend = createClickHouseBackend(target);
  return new ClickHouseStorage(target.kind, backend.client, backend.insertTsv);
}
