// Per-query limits, so one heavy query (a month of raw requests, a search with
// no filter) cannot hold the engine: ClickHouse's own query complexity
// settings (https://clickhouse.com/docs/operations/settings/query-complexity),
// enforced by the engine while it reads, on both backends.
//
// How they reach the engine: as a SETTINGS clause appended to each SELECT, on
// both backends. Not as `clickhouse_settings`: on the embedded engine those
// become `SET x = v;` statements in chdb's one session (chdb
// dist/connection/chdb-connection.js, applySettings), which then stay set for
// every later statement on it, the ingest inserts and their views included
// (verified: getSetting('max_rows_to_read') reads the last value set). A
// SETTINGS clause applies to its query only; a second SETTINGS clause in the
// same query is accepted and the last one wins.
//
// How a refusal reaches the client (http/error-handler.ts), following the
// Prometheus HTTP API's convention (422 when a query cannot be executed as
// asked, 503 when it timed out: https://prometheus.io/docs/prometheus/latest/querying/api/):
//   TOO_MANY_ROWS (158), TOO_MANY_BYTES (307), MEMORY_LIMIT_EXCEEDED (241) of
//   this query → 422 query_too_large: "narrow the time range or add filters";
//   TIMEOUT_EXCEEDED (159) → 503 query_timeout, the same advice, or retry later;
//   MEMORY_LIMIT_EXCEEDED of the whole engine (total) → 503 storage_busy.

export interface QueryLimits {
  /** max_execution_time, seconds. */
  maxSeconds: number;
  /** max_memory_usage, bytes. */
  maxMemoryBytes: number;
  /** max_rows_to_read. */
  maxRows: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxSeconds: 30,
  maxMemoryBytes: 1024 * 1024 * 1024,
  maxRows: 1_000_000_000,
};

function positiveInteger(value: number, name: string): string {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`query limit ${name} must be a positive integer`);
  return String(value);
}

/** The SETTINGS clause for a SELECT (values are validated integers, never user input). */
export function limitsClause(limits: QueryLimits): string {
  return (
    `SETTINGS max_execution_time = ${positiveInteger(limits.maxSeconds, "maxSeconds")}, ` +
    `max_memory_usage = ${positiveInteger(limits.maxMemoryBytes, "maxMemoryBytes")}, ` +
    `max_rows_to_read = ${positiveInteger(limits.maxRows, "maxRows")}, ` +
    // The defaults: what to do past a limit is to stop with an error, never
    // to return a partial result the UI would show as if it were complete.
    "timeout_overflow_mode = 'throw', read_overflow_mode = 'throw'"
  );
}

/** The SELECT with the limits appended; a trailing `;` is dropped, a trailing comment ended. */
export function withLimits(sql: string, limits: QueryLimits): string {
  const statement = sql.trimEnd().replace(/;$/, "");
  return `${statement}\n${limitsClause(limits)}`;
}

export type QueryLimitKind = "too_large" | "timeout" | "busy";

/** A query the engine stopped at one of its limits; the API maps it to 422/503 (http/error-handler.ts). */
export class QueryLimitError extends Error {
  override name = "QueryLimitError";

  constructor(
    readonly kind: QueryLimitKind,
    /** The ClickHouse error code, for logs. */
    readonly clickhouseCode: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get statusCode(): number {
    return this.kind === "too_large" ? 422 : 503;
  }

  get apiCode(): "query_too_large" | "query_timeout" | "storage_busy" {
    if (this.kind === "too_large") return "query_too_large";
    return this.kind === "timeout" ? "query_timeout" : "storage_busy";
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^\d+$/.test(code) ? code : undefined;
}

const NARROW = "narrow the time range or add filters";

/**
 * A QueryLimitError for an engine refusal at a limit, else undefined. The
 * message names the setting to raise and never repeats the engine's text
 * (which can hold SQL).
 */
export function queryLimitErrorOf(error: unknown, limits: QueryLimits): QueryLimitError | undefined {
  const code = codeOf(error);
  if (code === undefined) return undefined;
  const cause = { cause: error };
  switch (code) {
    case "158": // TOO_MANY_ROWS
    case "307": // TOO_MANY_BYTES
      return new QueryLimitError(
        "too_large",
        code,
        `the query would read more than ${limits.maxRows.toLocaleString("en")} rows (PERISCOPE_QUERY_MAX_ROWS); ${NARROW}`,
        cause,
      );
    case "159": // TIMEOUT_EXCEEDED
      return new QueryLimitError(
        "timeout",
        code,
        `the query ran longer than ${limits.maxSeconds} s (PERISCOPE_QUERY_MAX_SECONDS) and was stopped; ${NARROW}, or retry later`,
        cause,
      );
    case "241": {
      // MEMORY_LIMIT_EXCEEDED: this query's max_memory_usage ("Query memory
      // limit exceeded", older servers "Memory limit (for query) exceeded")
      // or the whole engine's (total), which is load, not the query.
      const message = (error as Error).message ?? "";
      if (/query memory limit|\(for query\)/i.test(message)) {
        const mib = Math.round(limits.maxMemoryBytes / 2 ** 20);
        return new QueryLimitError(
          "too_large",
          code,
          `the query needs more than ${mib} MiB of memory (PERISCOPE_QUERY_MAX_MEMORY_MB); ${NARROW}`,
          cause,
        );
      }
      return new QueryLimitError("busy", code, "storage is out of memory; retry later", cause);
    }
    default:
      return undefined;
  }
}
