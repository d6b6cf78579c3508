import type { BufferReader } from "../buffer-reader.js";
import { LargeMessageSkip } from "../large-message-skip.js";
import type { MessageDecoder } from "../message-decoder.js";
import { invalid, needsMoreData, ok, type ParseResult } from "../parse-result.js";
import { decodeMessage, type MongoMessage } from "./mongo-message.js";
import { HEADER_BYTES, MAX_MESSAGE_BYTES, OpCode } from "./mongo-wire.js";

/**
 * Bytes of a message decoded at most. Command names, $db and a reply's ok and
 * errmsg sit in the first bytes of small messages; a large insert or a find's
 * first batch is mostly documents, streamed past without being buffered.
 */
const DECODED_PREFIX = 16 * 1024;

const KNOWN_OPCODES: ReadonlySet<number> = new Set(Object.values(OpCode));

/** One direction of a MongoDB connection: length-prefixed messages (int32 messageLength, header included). */
export class MongoDecoder implements MessageDecoder<MongoMessage> {
  readonly boundaryLookback = HEADER_BYTES;
  readonly finished = false;
  /** A large message whose prefix was decoded: the bytes of it still to skip. */
  private readonly tail = new LargeMessageSkip<MongoMessage>();

  get midMessage(): boolean {
    return this.tail.active;
  }

  decode(reader: BufferReader): ParseResult<MongoMessage> {
    if (this.tail.active) return this.tail.continue(reader);
    if (reader.remaining < HEADER_BYTES) return needsMoreData;
    const start = reader.position;
    const header = reader.readBytes(HEADER_BYTES);
    reader.rewind(start);
    const reason = headerProblem(header, 0);
    if (reason !== undefined) return invalid(reason);
    const length = header.readInt32LE(0);
    const partial = length > DECODED_PREFIX;
    const wanted = partial ? DECODED_PREFIX : length;
    if (reader.remaining < wanted) return needsMoreData;
    const message = decodeMessage(reader.readBytes(wanted), length, partial);
    if (typeof message === "string") return invalid(message);
    if (!partial) return ok(message);
    this.tail.start(message, length - wanted);
    return this.tail.continue(reader);
  }

  /** Uncaptured bytes inside a large message's documents are stepped over. */
  absorbGap(length: number): boolean {
    return this.tail.absorbGap(length);
  }

  cutAtGap(): MongoMessage | undefined {
    return this.tail.cutAtGap();
  }

  endOfStream(): MongoMessage | undefined {
    return undefined;
  }

  /** A header with a sane length and a known opCode. */
  findFrameBoundary(bytes: Buffer, from: number): number {
    for (let index = from; index + HEADER_BYTES <= bytes.length; index++)
      if (headerProblem(bytes, index) === undefined) return index;
    return -1;
  }

  reset(): void {
    this.tail.clear();
  }
}

function headerProblem(bytes: Buffer, at: number): string | undefined {
  const length = bytes.readInt32LE(at);
  if (length < HEADER_BYTES + 4 || length > MAX_MESSAGE_BYTES) return "message length out of range";
  if (!KNOWN_OPCODES.has(bytes.readInt32LE(at + 12))) return "unknown opCode";
  return undefined;
}
