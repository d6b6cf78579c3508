import type { BufferReader } from "../buffer-reader.js";
import { invalid, needsMoreData, ok, type ParseResult } from "../parse-result.js";
import { Ascii, CRLF, Http1Limits } from "./syntax.js";

/**
 * Consumes a message body as it streams past, without keeping it: only the
 * number of bytes matters to a record. `ok` carries the body's wire length.
 */
export interface BodyDecoder {
  consume(reader: BufferReader): ParseResult<number>;
  /** Steps over `length` uncaptured bytes when they certainly lie inside the body. */
  absorbGap(length: number): boolean;
  /** The body ends with the connection (RFC 9112 §6.3 rule 8). */
  readonly delimitedByClose: boolean;
  readonly consumedBytes: number;
}

export class EmptyBody implements BodyDecoder {
  readonly delimitedByClose = false;
  readonly consumedBytes = 0;
  consume(): ParseResult<number> {
    return ok(0);
  }
  absorbGap(): boolean {
    return false;
  }
}

export class FixedLengthBody implements BodyDecoder {
  readonly delimitedByClose = false;
  consumedBytes = 0;

  constructor(private readonly length: number) {}

  consume(reader: BufferReader): ParseResult<number> {
    this.consumedBytes += reader.readBytes(this.length - this.consumedBytes).length;
    return this.consumedBytes === this.length ? ok(this.length) : needsMoreData;
  }

  absorbGap(length: number): boolean {
    if (this.consumedBytes + length > this.length) return false;
    this.consumedBytes += length;
    return true;
  }
}

export class CloseDelimitedBody implements BodyDecoder {
  readonly delimitedByClose = true;
  consumedBytes = 0;

  consume(reader: BufferReader): ParseResult<number> {
    this.consumedBytes += reader.readBytes(reader.remaining).length;
    return needsMoreData;
  }

  absorbGap(length: number): boolean {
    this.consumedBytes += length;
    return true;
  }
}

type ChunkedPhase = "size-line" | "data" | "data-crlf" | "trailers";

/** chunked transfer coding, RFC 9112 §7.1: size line, data, CRLF, ..., "0", trailers, CRLF. */
export class ChunkedBody implements BodyDecoder {
  readonly delimitedByClose = false;
  consumedBytes = 0;
  private phase: ChunkedPhase = "size-line";
  private chunkRemaining = 0;
  private trailerBytes = 0;

  consume(reader: BufferReader): ParseResult<number> {
    for (;;) {
      switch (this.phase) {
        case "size-line": {
          const lineEnd = reader.indexOf(CRLF, Http1Limits.maxChunkLineBytes);
          if (lineEnd < 0) {
            return reader.remaining >= Http1Limits.maxChunkLineBytes
              ? invalid("chunk size line too long")
              : needsMoreData;
          }
          const size = parseChunkSize(reader.readBytes(lineEnd).toString("latin1"));
          reader.skip(CRLF.length);
          if (size === undefined) return invalid("malformed chunk size");
          this.consumedBytes += lineEnd + CRLF.length;
          this.chunkRemaining = size;
          this.phase = size === 0 ? "trailers" : "data";
          break;
        }
        case "data": {
          const taken = reader.readBytes(this.chunkRemaining).length;
          this.chunkRemaining -= taken;
          this.consumedBytes += taken;
          if (this.chunkRemaining > 0) return needsMoreData;
          this.phase = "data-crlf";
          break;
        }
        case "data-crlf": {
          if (reader.remaining < CRLF.length) return needsMoreData;
          if (reader.peekByte(0) !== Ascii.CarriageReturn || reader.peekByte(1) !== Ascii.LineFeed) {
            return invalid("chunk data not followed by CRLF");
          }
          reader.skip(CRLF.length);
          this.consumedBytes += CRLF.length;
          this.phase = "size-line";
          break;
        }
        case "trailers": {
          // trailer-section = *( field-line CRLF ) CRLF; fields are read past, not kept.
          const lineEnd = reader.indexOf(CRLF, Http1Limits.maxTrailerBytes - this.trailerBytes);
          if (lineEnd < 0) {
            return this.trailerBytes + reader.remaining >= Http1Limits.maxTrailerBytes
              ? invalid("trailer section too long")
              : needsMoreData;
          }
          const line = reader.readBytes(lineEnd).toString("latin1");
          reader.skip(CRLF.length);
          this.trailerBytes += lineEnd + CRLF.length;
          this.consumedBytes += lineEnd + CRLF.length;
          if (line.length === 0) return ok(this.consumedBytes);
          if (line.indexOf(":") <= 0) return invalid("malformed trailer field");
          break;
        }
      }
    }
  }

  absorbGap(length: number): boolean {
    if (this.phase !== "data" || length > this.chunkRemaining) return false;
    this.chunkRemaining -= length;
    this.consumedBytes += length;
    return true;
  }
}

function parseChunkSize(line: string): number | undefined {
  const extensionStart = line.indexOf(";");
  const digits = (extensionStart < 0 ? line : line.slice(0, extensionStart)).trimEnd();
  // More than 12 hex digits (256 TiB) is an overflow attempt, not a real chunk.
  if (!/^[0-9a-fA-F]{1,12}$/.test(digits)) return undefined;
  return Number.parseInt(digits, 16);
}
