// Identity of one stored request row, and the opaque cursor built from it.
//
// Rows carry no id column (storage is append-only and both ends of a call are
// separate rows), so a row is named by its time and a hash of the columns
// that tell two rows of the same nanosecond apart. (time DESC, row hash DESC)
// is a total order over distinct rows, which keyset pagination needs: a page
// boundary is "strictly after this (time, hash)", so nothing is repeated or
// skipped when rows share a timestamp.
import { badRequest } from "../http/api-error.js";

export const ROW_HASH_SQL =
  "cityHash64(agent_id, side, protocol, client_ip, client_port, server_ip, server_port, " +
  "operation, target, status, duration_ns, trace_id, span_id)";

export interface RowKey {
  /** Nanoseconds since the epoch, decimal. */
  timeNs: string;
  /** ROW_HASH_SQL's UInt64, decimal. */
  hash: string;
}

const DECIMAL_TIME = /^\d{1,19}$/;
const DECIMAL_HASH = /^\d{1,20}$/;
const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MAX = (1n << 63n) - 1n;

function isRowKey(timeNs: string, hash: string): boolean {
  return (
    DECIMAL_TIME.test(timeNs) &&
    DECIMAL_HASH.test(hash) &&
    BigInt(timeNs) <= INT64_MAX &&
    BigInt(hash) <= UINT64_MAX
  );
}

/** A request id as the API shows it: `<time ns>-<hash hex>`, readable and stable. */
export function formatRequestId(key: RowKey): string {
  return `${key.timeNs}-${BigInt(key.hash).toString(16).padStart(16, "0")}`;
}

export function parseRequestId(id: string): RowKey {
  const match = /^(\d{1,19})-([0-9a-f]{16})$/.exec(id);
  const timeNs = match?.[1];
  const hashHex = match?.[2];
  if (timeNs === undefined || hashHex === undefined) {
    throw badRequest(`"${id.slice(0, 80)}" is not a request id (expected <time ns>-<16 hex digits>)`);
  }
  const key = { timeNs, hash: BigInt(`0x${hashHex}`).toString() };
  if (!isRowKey(key.timeNs, key.hash)) throw badRequest("request id is out of range");
  return key;
}

const CURSOR_VERSION = "r1";

/**
 * Cursors are opaque to clients (base64url) so their layout can change with a
 * new version tag; a cursor from elsewhere is refused, never half-understood.
 */
export function encodeCursor(key: RowKey): string {
  return Buffer.from(`${CURSOR_VERSION}:${key.timeNs}:${key.hash}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): RowKey {
  const invalid = () => badRequest("cursor is not one this API returned; start again without a cursor");
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalid();
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split(":");
  const [version, timeNs, hash] = parts;
  if (parts.length !== 3 || version !== CURSOR_VERSION || timeNs === undefined || hash === undefined) {
    throw invalid();
  }
  if (!isRowKey(timeNs, hash)) throw invalid();
  return { timeNs, hash };
}
