// Fields of the message bodies the parser reads (§55.7 Message Formats). Bodies
// are the kept prefix of a message, so a string may be cut: it is then returned
// up to the cut. Nothing here throws on short or malformed bodies.
import { BufferReader } from "../buffer-reader.js";
import { ErrorField } from "./postgres-wire.js";

/** A NUL-terminated string (String in §55.4); the rest of the body when the NUL was cut off. */
function readCString(reader: BufferReader): string {
  const end = reader.indexOf("\0");
  const bytes = reader.readBytes(end < 0 ? reader.remaining : end);
  if (end >= 0) reader.skip(1);
  return utf8(bytes, end < 0);
}

/** UTF-8 text; a character split by the kept-bytes cut is dropped, not shown as U+FFFD. */
function utf8(bytes: Buffer, cut: boolean): string {
  const text = bytes.toString("utf8");
  return cut && text.endsWith("\ufffd") ? text.slice(0, -1) : text;
}

/** StartupMessage parameters: name/value String pairs ended by a lone NUL. */
export function startupParameters(body: Buffer): Map<string, string> {
  const reader = new BufferReader(body);
  const parameters = new Map<string, string>();
  while (reader.remaining > 0 && reader.peekByte() !== 0) {
    const name = readCString(reader);
    const value = readCString(reader);
    // Only names a record uses are kept: "options" can carry arbitrary settings.
    if (name === "user" || name === "database" || name === "application_name")
      parameters.set(name, value.slice(0, 256));
  }
  return parameters;
}

/** Query: the SQL text. */
export function queryText(body: Buffer): string {
  return readCString(new BufferReader(body));
}

/** Parse: destination statement name ("" = unnamed), then the SQL text. */
export function parseMessage(body: Buffer): { statement: string; sql: string } {
  const reader = new BufferReader(body);
  const statement = readCString(reader);
  return { statement, sql: readCString(reader) };
}

/** Bind: destination portal, then the source statement. */
export function bindMessage(body: Buffer): { portal: string; statement: string } {
  const reader = new BufferReader(body);
  const portal = readCString(reader);
  return { portal, statement: readCString(reader) };
}

/** Describe and Close: 'S' (statement) or 'P' (portal), then the name. */
export function targetedMessage(body: Buffer): { kind: "statement" | "portal"; name: string } {
  const reader = new BufferReader(body);
  const kind = reader.readBytes(1)[0] === 0x50 /* 'P' */ ? "portal" : "statement";
  return { kind, name: readCString(reader) };
}

/** Execute: the portal name. */
export function executePortal(body: Buffer): string {
  return readCString(new BufferReader(body));
}

/** Authentication*: the int32 code after 'R'. */
export function authenticationCode(body: Buffer): number | undefined {
  return body.length >= 4 ? body.readInt32BE(0) : undefined;
}

/** RowDescription: the field count (Int16). */
export function fieldCount(body: Buffer): number | undefined {
  return body.length >= 2 ? body.readInt16BE(0) : undefined;
}

export interface CommandTag {
  tag: string;
  /** The rows the command returned or touched, when its tag carries a count (§55.7 CommandComplete). */
  rows: number | undefined;
}

/** CommandComplete: "SELECT 5", "INSERT 0 1" (oid, rows), "UPDATE 3", "CREATE TABLE". */
export function commandTag(body: Buffer): CommandTag {
  const tag = readCString(new BufferReader(body));
  const count = /\s(\d+)$/.exec(tag)?.[1];
  return { tag, rows: count === undefined ? undefined : Number(count) };
}

export interface ErrorFields {
  severity: string;
  sqlstate: string;
  message: string;
}

/** ErrorResponse/NoticeResponse: (code byte, String) fields ended by a NUL (§55.8). */
export function errorFields(body: Buffer): ErrorFields {
  const reader = new BufferReader(body);
  const fields: ErrorFields = { severity: "", sqlstate: "", message: "" };
  let localizedSeverity = "";
  while (reader.remaining > 0) {
    const code = reader.readBytes(1)[0];
    if (code === 0) break;
    const value = readCString(reader);
    if (code === ErrorField.Severity) fields.severity = value;
    else if (code === ErrorField.LocalizedSeverity) localizedSeverity = value;
    else if (code === ErrorField.Code) fields.sqlstate = value;
    else if (code === ErrorField.Message) fields.message = value;
  }
  // 'V' exists since 9.6; older servers send only the localized 'S'.
  if (fields.severity === "") fields.severity = localizedSeverity;
  return fields;
}

/**
 * A record's numeric status for a SQLSTATE (§Appendix A "PostgreSQL Error
 * Codes"): 0 for success; otherwise the SQLSTATE's two-character class — read as
 * a decimal number when both are digits (42P01 → 42, 23505 → 23), or as base 36
 * plus 100 when a letter is in it (0A000 → 110, XX000 → 1321, P0001 → 1001), so
 * no two classes share a number. The full code is in db.sqlstate.
 */
export function sqlstateStatus(sqlstate: string): number {
  const sqlClass = sqlstate.slice(0, 2).toUpperCase();
  if (!/^[0-9A-Z]{2}$/.test(sqlClass)) return 0;
  if (/^[0-9]{2}$/.test(sqlClass)) return Number(sqlClass);
  return 100 + Number.parseInt(sqlClass, 36);
}
