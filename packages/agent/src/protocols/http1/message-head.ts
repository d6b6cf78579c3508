import type { BufferReader } from "../buffer-reader.js";
import { invalid, needsMoreData, ok, type ParseResult } from "../parse-result.js";
import {
  Ascii,
  HEAD_TERMINATOR,
  Http1Limits,
  isDigit,
  isFieldValueByte,
  isMethodByte,
  isTargetByte,
  isTokenByte,
  VERSION_PREFIX,
} from "./syntax.js";

export interface RequestHead {
  kind: "request";
  method: string;
  target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minorVersion: number;
  /** Lower-cased names; repeated fields joined with ", " (RFC 9110 §5.3). */
  headers: Map<string, string>;
  headBytes: number;
}

export interface ResponseHead {
  kind: "response";
  status: number;
  minorVersion: number;
  headers: Map<string, string>;
  headBytes: number;
}

/**
 * Parses a request line and its header fields. The reader is left after the
 * blank line on `ok`, and where it started otherwise.
 */
export function parseRequestHead(reader: BufferReader): ParseResult<RequestHead> {
  const start = reader.position;
  const prefix = checkRequestLinePrefix(reader);
  if (prefix !== undefined) return prefix;
  const block = readHeadBlock(reader);
  if (block.status !== "ok") return block;
  const lines = block.value;
  const requestLine = lines.shift() ?? "";
  const firstSpace = requestLine.indexOf(" ");
  const secondSpace = requestLine.indexOf(" ", firstSpace + 1);
  if (firstSpace <= 0 || secondSpace <= firstSpace + 1) return fail(reader, start, "malformed request line");
  const method = requestLine.slice(0, firstSpace);
  const target = requestLine.slice(firstSpace + 1, secondSpace);
  const minorVersion = parseVersion(requestLine.slice(secondSpace + 1));
  if (minorVersion === undefined) return fail(reader, start, "unsupported HTTP version in request line");
  for (let index = 0; index < target.length; index++) {
    if (!isTargetByte(target.charCodeAt(index))) return fail(reader, start, "invalid byte in request target");
  }
  const headers = parseHeaderLines(lines);
  if (typeof headers === "string") return fail(reader, start, headers);
  return ok({ kind: "request", method, target, minorVersion, headers, headBytes: reader.position - start });
}

/** Parses a status line and its header fields, with the same reader contract. */
export function parseResponseHead(reader: BufferReader): ParseResult<ResponseHead> {
  const start = reader.position;
  const prefix = checkStatusLinePrefix(reader);
  if (prefix !== undefined) return prefix;
  const block = readHeadBlock(reader);
  if (block.status !== "ok") return block;
  const lines = block.value;
  const statusLine = lines.shift() ?? "";
  // status-line = HTTP-version SP status-code SP [ reason-phrase ]; some servers omit the last SP.
  const minorVersion = parseVersion(statusLine.slice(0, 8));
  const code = statusLine.slice(9, 12);
  const afterCode = statusLine.charCodeAt(12);
  const wellFormed =
    minorVersion !== undefined &&
    statusLine.charCodeAt(8) === Ascii.Space &&
    code.length === 3 &&
    isDigit(code.charCodeAt(0)) &&
    isDigit(code.charCodeAt(1)) &&
    isDigit(code.charCodeAt(2)) &&
    (statusLine.length === 12 || afterCode === Ascii.Space);
  if (!wellFormed || minorVersion === undefined) return fail(reader, start, "malformed status line");
  const headers = parseHeaderLines(lines);
  if (typeof headers === "string") return fail(reader, start, headers);
  return ok({
    kind: "response",
    status: Number(code),
    minorVersion,
    headers,
    headBytes: reader.position - start,
  });
}

function fail(reader: BufferReader, start: number, reason: string): ParseResult<never> {
  reader.rewind(start);
  return invalid(reason);
}

/** Rejects garbage as soon as the first bytes disprove a request line, instead of waiting for 16 KiB. */
function checkRequestLinePrefix(reader: BufferReader): ParseResult<never> | undefined {
  const limit = Math.min(reader.remaining, Http1Limits.maxMethodLength + 1);
  for (let index = 0; index < limit; index++) {
    const byte = reader.peekByte(index) ?? 0;
    if (byte === Ascii.Space) return index === 0 ? invalid("request line starts with a space") : undefined;
    if (!isMethodByte(byte)) return invalid("invalid byte in method");
  }
  if (reader.remaining > Http1Limits.maxMethodLength) return invalid("method too long");
  return undefined;
}

function checkStatusLinePrefix(reader: BufferReader): ParseResult<never> | undefined {
  const limit = Math.min(reader.remaining, VERSION_PREFIX.length);
  for (let index = 0; index < limit; index++) {
    if (reader.peekByte(index) !== VERSION_PREFIX.charCodeAt(index))
      return invalid("not an HTTP/1 status line");
  }
  return undefined;
}

/** As bytes: Buffer.indexOf would otherwise encode the string needle on every call. */
const HEAD_TERMINATOR_BYTES = Buffer.from(HEAD_TERMINATOR, "latin1");

/** Splits the head into lines when its terminating blank line is in the buffer. */
function readHeadBlock(reader: BufferReader): ParseResult<string[]> {
  const end = reader.indexOf(HEAD_TERMINATOR_BYTES, Http1Limits.maxHeadBytes);
  if (end < 0) {
    return reader.remaining >= Http1Limits.maxHeadBytes
      ? invalid(`header section exceeds ${Http1Limits.maxHeadBytes} bytes`)
      : needsMoreData;
  }
  const text = reader.readBytes(end).toString("latin1");
  reader.skip(HEAD_TERMINATOR.length);
  return ok(text.split("\r\n"));
}

function parseVersion(text: string): number | undefined {
  if (text === "HTTP/1.1") return 1;
  if (text === "HTTP/1.0") return 0;
  return undefined;
}

function parseHeaderLines(lines: string[]): Map<string, string> | string {
  if (lines.length > Http1Limits.maxHeaderCount)
    return `more than ${Http1Limits.maxHeaderCount} header fields`;
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) return "header field without a name";
    const name = line.slice(0, colon);
    for (let index = 0; index < name.length; index++) {
      // Also rejects obs-fold continuation lines, which start with whitespace (RFC 9112 §5.2).
      if (!isTokenByte(name.charCodeAt(index))) return "invalid byte in header name";
    }
    const value = line.slice(colon + 1).trim();
    for (let index = 0; index < value.length; index++) {
      if (!isFieldValueByte(value.charCodeAt(index))) return "invalid byte in header value";
    }
    const key = name.toLowerCase();
    const previous = headers.get(key);
    headers.set(key, previous === undefined ? value : `${previous}, ${value}`);
  }
  return headers;
}

/** True when `bytes` at `index` begin like a request line ("GET /", "POST h"...). */
export function looksLikeRequestStart(bytes: Buffer, index = 0): boolean {
  let cursor = index;
  while (cursor < bytes.length && cursor - index <= Http1Limits.maxMethodLength) {
    const byte = bytes[cursor] ?? 0;
    if (byte === Ascii.Space) {
      const next = bytes[cursor + 1];
      return cursor - index >= 3 && next !== undefined && isTargetByte(next);
    }
    if (!(byte >= 0x41 && byte <= 0x5a)) return false;
    cursor++;
  }
  return false;
}

/** True when `bytes` at `index` begin with "HTTP/1.". */
export function looksLikeResponseStart(bytes: Buffer, index = 0): boolean {
  return (
    bytes.length - index >= VERSION_PREFIX.length &&
    bytes.toString("latin1", index, index + 7) === VERSION_PREFIX
  );
}

/**
 * HTTP/2 prior knowledge starts with "PRI * HTTP/2.0" (RFC 9113 §3.4), which
 * looks like a request line; it must not be taken for HTTP/1.
 */
export function startsWithHttp2Preface(bytes: Buffer): boolean {
  return bytes.length >= 14 && bytes.toString("latin1", 0, 14) === "PRI * HTTP/2.0";
}
