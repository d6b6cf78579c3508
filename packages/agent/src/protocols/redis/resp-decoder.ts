import type { BufferReader } from "../buffer-reader.js";
import type { MessageDecoder } from "../message-decoder.js";
import { invalid, needsMoreData, ok, type ParseResult } from "../parse-result.js";
import { RESP_SHAPES, RespLimits, RespType } from "./resp-syntax.js";

/** One top-level RESP value: a command on the request stream, a reply or push on the response stream. */
export interface RespMessage {
  /** Type byte of the value (an attribute before it is skipped); 0 for an inline command. */
  type: number;
  /** The line of a simple type, or a top-level bulk error's text (cut at the kept length). */
  text: string;
  /** The first strings directly inside a top-level aggregate ("" for nested ones), or an inline command's words. */
  elements: string[];
  /** Elements of a top-level aggregate; -1 for RESP2's null array or null bulk. */
  length: number;
  /** Every byte of the value as it crossed the wire, attributes included. */
  wireBytes: number;
}

/** An aggregate still being read: how many values it still holds. */
interface OpenAggregate {
  remaining: number;
  /** RESP3 attributes describe the next value and do not count as one in their parent. */
  attribute: boolean;
}

const CR = 0x0d;
const LF = 0x0a;
const DIGITS = /^-?\d+$/;

/**
 * Decodes one direction of a RESP connection without buffering values: bulk
 * strings stream past (only the first bytes of the strings a record needs are
 * kept), so a 100 MB GET reply costs what its header costs. `acceptInline`
 * lets the request side read Redis' inline commands ("PING\r\n", as typed in telnet).
 */
export class RespDecoder implements MessageDecoder<RespMessage> {
  readonly boundaryLookback = 2;
  private open: OpenAggregate[] = [];
  private message: RespMessage | undefined;
  /** Payload and CRLF bytes left of the bulk string being read; -1 when not in one. */
  private bulkLeft = -1;
  private bulkTrailerLeft = 0;
  /** Where the bulk string being read is kept in `message.elements` (or "text"), if at all. */
  private keepInto: number | "text" | undefined;
  private kept: Buffer[] = [];
  private keptLength = 0;

  constructor(
    private readonly acceptInline: boolean,
    /** Whether to keep more strings of a message whose first strings are these (redaction). */
    private readonly keepMore: (elements: readonly string[]) => boolean = () => true,
  ) {}

  get midMessage(): boolean {
    return this.message !== undefined;
  }

  get finished(): boolean {
    return false;
  }

  decode(reader: BufferReader): ParseResult<RespMessage> {
    for (;;) {
      if (this.bulkLeft >= 0) {
        const step = this.readBulk(reader);
        if (step !== "done") return step;
        if (this.valueEnded()) return this.finish();
        continue;
      }
      const first = reader.peekByte();
      if (first === undefined) return needsMoreData;
      if (this.message === undefined)
        this.message = { type: 0, text: "", elements: [], length: 0, wireBytes: 0 };
      const message = this.message;
      const inline = this.acceptInline && this.open.length === 0 && !RESP_SHAPES.has(first);
      if (!inline && !RESP_SHAPES.has(first)) return invalid(`not a RESP type byte: 0x${first.toString(16)}`);
      // Inline commands end at a bare LF too (redis networking.c processInlineBuffer).
      const end = reader.indexOf(inline ? "\n" : "\r\n", RespLimits.maxLineLength + 2);
      if (end < 0) {
        if (reader.remaining > RespLimits.maxLineLength + 1) return invalid("RESP line too long");
        return needsMoreData;
      }
      const line = reader.readBytes(end + (inline ? 1 : 2));
      message.wireBytes += line.length;
      if (inline) return this.inlineCommand(line);
      const header = line.toString("latin1", 1, line.length - 2);
      const step = this.header(first, header);
      if (typeof step !== "boolean") return step;
      if (step && this.valueEnded()) return this.finish();
    }
  }

  /** Reads a header line: true when it was a whole value, false when more follows, or why it is not RESP. */
  private header(type: number, header: string): ParseResult<RespMessage> | boolean {
    const message = this.message as RespMessage;
    const shape = RESP_SHAPES.get(type);
    const topLevel = this.open.length === 0 && type !== RespType.Attribute;
    if (topLevel) message.type = type;
    const keepIndex = this.keepIndex();
    if (shape === "line") {
      if (type === RespType.Integer && !DIGITS.test(header)) return invalid("RESP integer is not a number");
      if (type === RespType.Boolean && header !== "t" && header !== "f")
        return invalid("RESP boolean is not t/f");
      if (type === RespType.Null && header !== "") return invalid("RESP null carries data");
      const text = header.slice(0, RespLimits.maxKeptStringLength);
      if (topLevel) message.text = text;
      if (keepIndex !== undefined) message.elements[keepIndex] = text;
      return true;
    }
    // "$?" starts a RESP3 streamed string; no server sends one to a client today (RESP3.md, "Streamed strings").
    if (!DIGITS.test(header)) return invalid("RESP length is not a number");
    const length = Number(header);
    if (length === -1 && (type === RespType.BulkString || type === RespType.Array)) {
      // RESP2's null bulk string and null array.
      if (topLevel) message.length = -1;
      if (keepIndex !== undefined) message.elements[keepIndex] = "";
      return true;
    }
    if (length < 0) return invalid("negative RESP length");
    if (shape === "bulk") {
      if (length > RespLimits.maxBulkLength) return invalid("RESP bulk string too long");
      this.bulkLeft = length;
      this.bulkTrailerLeft = 2;
      this.keepInto = keepIndex ?? (topLevel && type === RespType.BulkError ? "text" : undefined);
      if (keepIndex !== undefined) message.elements[keepIndex] = "";
      return false;
    }
    const values = type === RespType.Map || type === RespType.Attribute ? length * 2 : length;
    if (values > RespLimits.maxAggregateLength) return invalid("RESP aggregate too long");
    if (this.open.length >= RespLimits.maxDepth) return invalid("RESP nesting too deep");
    if (topLevel) message.length = length;
    if (keepIndex !== undefined) message.elements[keepIndex] = "";
    if (values > 0) {
      this.open.push({ remaining: values, attribute: type === RespType.Attribute });
      return false;
    }
    // An empty aggregate is a whole value; an empty attribute is nothing at all.
    return type !== RespType.Attribute;
  }

  /** Index in `elements` for a value starting now directly inside the top-level aggregate, if kept. */
  private keepIndex(): number | undefined {
    const message = this.message as RespMessage;
    if (this.open.length !== 1 || this.open[0]?.attribute) return undefined;
    if (message.elements.length >= RespLimits.maxKeptStrings) return undefined;
    if (!this.keepMore(message.elements)) return undefined;
    return message.elements.length;
  }

  private readBulk(reader: BufferReader): ParseResult<RespMessage> | "done" {
    const message = this.message as RespMessage;
    if (this.bulkLeft > 0) {
      const bytes = reader.readBytes(this.bulkLeft);
      if (bytes.length === 0) return needsMoreData;
      this.bulkLeft -= bytes.length;
      message.wireBytes += bytes.length;
      if (this.keepInto !== undefined && this.keptLength < RespLimits.maxKeptStringLength) {
        const slice = bytes.subarray(0, RespLimits.maxKeptStringLength - this.keptLength);
        this.kept.push(Buffer.from(slice));
        this.keptLength += slice.length;
      }
      if (this.bulkLeft > 0) return needsMoreData;
    }
    while (this.bulkTrailerLeft > 0) {
      const byte = reader.peekByte();
      if (byte === undefined) return needsMoreData;
      if (byte !== (this.bulkTrailerLeft === 2 ? CR : LF)) {
        // Consumed first, so the resync starts after it whether or not the
        // payload before it arrived in this same read (the same records at any chunking).
        reader.skip(1);
        return invalid("RESP bulk string not ended by CRLF");
      }
      reader.skip(1);
      message.wireBytes++;
      this.bulkTrailerLeft--;
    }
    this.bulkLeft = -1;
    if (this.keepInto !== undefined) {
      const text = Buffer.concat(this.kept).toString("utf8");
      if (this.keepInto === "text") message.text = text;
      else message.elements[this.keepInto] = text;
    }
    this.keepInto = undefined;
    this.kept = [];
    this.keptLength = 0;
    return "done";
  }

  /**
   * A value just ended: count it in the aggregates around it. True when the
   * top-level value is complete (a top-level attribute is not: its value follows).
   */
  private valueEnded(): boolean {
    for (;;) {
      const innermost = this.open[this.open.length - 1];
      if (innermost === undefined) return true;
      innermost.remaining--;
      if (innermost.remaining > 0) return false;
      this.open.pop();
      if (innermost.attribute) return false;
    }
  }

  private inlineCommand(line: Buffer): ParseResult<RespMessage> {
    const message = this.message as RespMessage;
    const text = line.toString("latin1").replace(/\r?\n$/, "");
    // Telnet-typed commands are printable; anything else is not Redis.
    if (!/^[A-Za-z][\x20-\x7e\t]*$/.test(text)) return invalid("not a RESP value or inline command");
    const words = text.split(/[ \t]+/).filter((word) => word !== "");
    for (const word of words) {
      if (message.elements.length >= RespLimits.maxKeptStrings || !this.keepMore(message.elements)) break;
      message.elements.push(word.slice(0, RespLimits.maxKeptStringLength));
    }
    message.length = words.length;
    return this.finish();
  }

  private finish(): ParseResult<RespMessage> {
    const message = this.message as RespMessage;
    this.message = undefined;
    return ok(message);
  }

  absorbGap(length: number): boolean {
    if (this.bulkLeft < 0 || length > this.bulkLeft + this.bulkTrailerLeft) return false;
    const fromPayload = Math.min(length, this.bulkLeft);
    this.bulkLeft -= fromPayload;
    this.bulkTrailerLeft -= length - fromPayload;
    (this.message as RespMessage).wireBytes += length;
    return true;
  }

  /** A reply cut by a gap still answers its command: returning it keeps pipelined pairing in step. */
  cutAtGap(length: number): RespMessage | undefined {
    const message = this.message;
    if (message === undefined || message.type === 0) return undefined;
    message.wireBytes += length;
    return message;
  }

  endOfStream(): RespMessage | undefined {
    return undefined;
  }

  /** A line start holding a type byte; on the request side only an array ("*" and a digit). */
  findFrameBoundary(bytes: Buffer, from: number): number {
    for (let index = from; index < bytes.length; index++) {
      const previous = index === 0 ? LF : bytes[index - 1];
      if (previous !== LF) continue;
      const byte = bytes[index] as number;
      if (this.acceptInline) {
        const next = bytes[index + 1];
        if (byte === RespType.Array && next !== undefined && next >= 0x30 && next <= 0x39) return index;
      } else if (RESP_SHAPES.has(byte)) {
        return index;
      }
    }
    return -1;
  }

  reset(): void {
    this.open = [];
    this.message = undefined;
    this.bulkLeft = -1;
    this.bulkTrailerLeft = 0;
    this.keepInto = undefined;
    this.kept = [];
    this.keptLength = 0;
  }
}
