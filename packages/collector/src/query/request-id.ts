// Identity of one stored request row, and the opaque cursor built from it.
//
// Rows carry no id column (storage is append-only and both ends of a call are
// separate rows), so a row is named by its time and a hash of the columns
// that tell two rows of the same nanosecond apart. (time DESC, hash DESC) is
// a total order over distinct rows, which keyset pagination needs: a page
// boundary is "strictly after this (time, hash)", so nothing is repeated or
// skipped when rows share a timestamp. The hash is computed here, on the
// page's rows only: in SQL it would have to be computed for every match
// before sorting, which doubled search time at millions of rows.
import { createHash } from "node:crypto";
import { badRequest } from "../http/api-error.js";

/** The columns a row's identity hash covers. */
export interface RowIdentity {
  agent_id: string;
  side: string;
  protocol: string;
  client_ip: string;
  client_port: number;
  server_ip: string;
  server_port: number;
  operation: string;
  target: string;
  status: number;
  duration_ns: string;
  trace_id: string;
  span_id: string;
}

/** 64 bits of SHA-256 over the identity columns, as 16 hex digits. */
export function rowHash(row: RowIdentity): string {
  const fields = [
    row.agent_id,
    row.side,
    row.protocol,
    row.client_ip,
    String(row.client_port),
    row.server_ip,
    String(row.server_port),
    row.operation,
    row.target,
    String(row.status),
    row.duration_ns,
    row.trace_id,
    row.span_id,
  ];
  // NUL cannot occur in these texts' meaning, so the join is unambiguous enough for an id.
  return createHash("sha256").update(fields.join("\u0000")).digest("hex").slice(0, 16);
}

export interface RowKey {
  /** Nanoseconds since the epoch, decimal. */
  timeNs: string;
  /** rowHash(): 16 hex digits. */
  hash: string;
}

const DECIMAL_TIME = /^\d{1,19}$/;
const HEX_HASH = /^[0-9a-f]{16}$/;
const INT64_MAX = (1n << 63n) - 1n;

function isRowKey(timeNs: string, hash: string): boolean {
  return DECIMAL_TIME.test(timeNs) && HEX_HASH.test(hash) && BigInt(timeNs) <= INT64_MAX;
}

/** A request id as the API shows it: `<time ns>-<hash hex>`, readable and stable. */
export function formatRequestId(key: RowKey): string {
  return `${key.timeNs}-${key.hash}`;
}

export function parseRequestId(id: string): RowKey {
  const match = /^(\d{1,19})-([0-9a-f]{16})$/.exec(id);
  const timeNs = match?.[1];
  const hashHex = match?.[2];
  if (timeNs === undefined || hashHex === undefined) {
    throw badRequest(`"${id.slice(0, 80)}" is not a request id (expected <time ns>-<16 hex digits>)`);
  }
  const key = { timeNs, hash: hashHex };
  if (!isRowKey(key.timeNs, key.hash)) throw badRequest("request id is out of range");
  return key;
}

const CURSOR_VERSION = "r2";

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
