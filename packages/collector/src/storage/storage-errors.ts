// Classifies storage failures by ClickHouse error code so ingest can tell an
// agent to retry (transient) or not (the batch itself can never be stored).
// Codes: ClickHouse src/Common/ErrorCodes.cpp.
const TRANSIENT_CLICKHOUSE_CODES = new Set([
  "159", // TIMEOUT_EXCEEDED
  "164", // READONLY
  "202", // TOO_MANY_SIMULTANEOUS_QUERIES
  "209", // SOCKET_TIMEOUT
  "210", // NETWORK_ERROR
  "241", // MEMORY_LIMIT_EXCEEDED
  "242", // TABLE_IS_READ_ONLY
  "252", // TOO_MANY_PARTS
  "319", // UNKNOWN_STATUS_OF_INSERT
  "999", // KEEPER_EXCEPTION
]);

interface ClickHouseErrorShape {
  code: string;
  type?: string;
}

// Duck-typed: chdb bundles its own copy of the client's ClickHouseError class.
function asClickHouseError(error: unknown): ClickHouseErrorShape | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^\d+$/.test(code) ? (error as ClickHouseErrorShape) : undefined;
}

/**
 * True when retrying the same operation later may succeed: the server was
 * unreachable, overloaded or out of memory. A ClickHouse error about the
 * statement or data itself (bad type, parse failure) will fail every time.
 */
export function isTransientStorageError(error: unknown): boolean {
  const clickhouse = asClickHouseError(error);
  if (clickhouse === undefined) return true;
  return TRANSIENT_CLICKHOUSE_CODES.has(clickhouse.code);
}
