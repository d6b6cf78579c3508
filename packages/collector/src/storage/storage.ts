import type { ClickHouseClient } from "@clickhouse/client";
import {
  createClickHouseBackend,
  type StorageLog,
  type StorageTarget,
  type TsvInsert,
} from "./clickhouse-client.js";
import { DEFAULT_QUERY_LIMITS, type QueryLimits, queryLimitErrorOf, withLimits } from "./query-limits.js";
import { QueryOutcomes } from "./query-outcomes.js";
import { currentQuerySignal } from "./query-signal.js";

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
// A server keeps running a SELECT whose HTTP client went away unless told to
// stop (default 0: https://clickhouse.com/docs/operations/settings/settings#cancel_http_readonly_queries_on_client_close).
// It must be a URL setting: the HTTP handler reads it before the query is parsed.
const SERVER_SELECT_SETTINGS = {
  ...SELECT_SETTINGS,
  cancel_http_readonly_queries_on_client_close: 1,
} as const;

export interface StorageOptions {
  /** Limits of every SELECT (query-limits.ts). */
  queryLimits?: QueryLimits;
  /** Where refused and cancelled queries are counted. */
  queryOutcomes?: QueryOutcomes;
  /** The client's own log lines; absent, it writes to the console. */
  log?: StorageLog;
}

class ClickHouseStorage implements Storage, TsvInserter {
  readonly queryOutcomes: QueryOutcomes;
  private readonly limits: QueryLimits;

  constructor(
    readonly kind: StorageTarget["kind"],
    private readonly client: ClickHouseClient,
    private readonly tsvInsert: TsvInsert,
    options: StorageOptions,
  ) {
    this.limits = options.queryLimits ?? DEFAULT_QUERY_LIMITS;
    this.queryOutcomes = options.queryOutcomes ?? new QueryOutcomes();
  }

  /**
   * The caller's signal (the HTTP request's, query-signal.ts) aborts the
   * query: on a server the client closes the connection and the server
   * cancels the SELECT (cancel_http_readonly_queries_on_client_close); on
   * the embedded engine chdb cannot interrupt a query that has started
   * (no interrupt in its C ABI: chdb index.js, withAbortTimeout), so the
   * promise settles at once, a parameterised query still queued behind
   * another (chdb runs those one at a time) never starts, and one already
   * running ends at max_execution_time at the latest.
   */
  async select<Row>(sql: string, params: QueryParams = {}): Promise<Row[]> {
    const signal = currentQuerySignal();
    try {
      const result = await this.client.query({
        query: withLimits(sql, this.limits),
        query_params: params,
        format: "JSONEachRow",
        clickhouse_settings: this.kind === "server" ? SERVER_SELECT_SETTINGS : SELECT_SETTINGS,
        ...(signal === undefined ? {} : { abort_signal: signal }),
      });
      return await result.json<Row>();
    } catch (error) {
      if (signal?.aborted === true) {
        this.queryOutcomes.cancelled += 1;
        throw new QueryCancelledError(error);
      }
      const limited = queryLimitErrorOf(error, this.limits);
      if (limited === undefined) throw error;
      this.queryOutcomes.count(limited.kind);
      throw limited;
    }
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

/** A query abandoned because its caller (an HTTP client) went away. */
export class QueryCancelledError extends Error {
  override name = "QueryCancelledError";
  constructor(cause: unknown) {
    super("query cancelled: the client disconnected", { cause });
  }
}

export function openStorage(
  target: StorageTarget,
  options: StorageOptions = {},
): Storage & TsvInserter & { readonly queryOutcomes: QueryOutcomes } {
  const backend = createClickHouseBackend(target, options.log);
  return new ClickHouseStorage(target.kind, backend.client, backend.insertTsv, options);
}
