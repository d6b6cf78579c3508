import type { BufferReader } from "../buffer-reader.js";
import type { MessageDecoder } from "../message-decoder.js";
import { invalid, needsMoreData, ok, type ParseResult } from "../parse-result.js";
import { type AmqpMethod, decodeMethod } from "./amqp-method.js";
import { traceParentHeader } from "./amqp-properties.js";
import {
  CONTENT_METHODS,
  FRAME_END,
  FRAME_HEADER_BYTES,
  FrameType,
  METHOD_NAMES,
  methodKey,
  PROTOCOL_HEADER,
} from "./amqp-wire.js";

/** A method, with its content when it carries one: what the pairing side sees. */
export interface AmqpCommand extends AmqpMethod {
  /** Body size from the content header; 0 for methods without content. */
  bodySize: number;
  /** Every frame of the command, framing included. */
  wireBytes: number;
  /** The message's `traceparent` header (content header properties), as sent. */
  traceParent?: string;
}

interface ContentInProgress {
  method: AmqpMethod;
  wireBytes: number;
  /** Undefined until the content header frame arrived. */
  bodyRemaining: number | undefined;
  bodySize: number;
  traceParent?: string;
}

/**
 * Method and header frames are small and decoded whole; a real server caps
 * them at frame-max (RabbitMQ: 128 KiB by default, §4.2.3 frame-min 4096).
 */
const MAX_WHOLE_FRAME = 1 << 20;
/** A body frame is at most frame-max; anything beyond this is not AMQP. */
const MAX_BODY_FRAME = 16 << 20;
/** Frame header plus class and method ids: what a resync candidate is judged on. */
const RESYNC_PROBE_BYTES = FRAME_HEADER_BYTES + 4;
/** Method frames seen when resyncing are small; a large "size" there is noise. */
const MAX_RESYNC_METHOD = 64 * 1024;

/**
 * One direction of an AMQP 0-9-1 connection, as commands (§4.2.6: a method
 * frame, then for content methods a header frame and body frames). Channels
 * multiplex, so content in progress is kept per channel. Body frames stream
 * past without being buffered (only their length matters), so a body larger
 * than the capture cap or the stream buffer still yields its command.
 */
export class AmqpDecoder implements MessageDecoder<AmqpCommand> {
  readonly boundaryLookback = RESYNC_PROBE_BYTES;
  readonly finished = false;
  private readonly contents = new Map<number, ContentInProgress>();
  /** Inside a body frame: its channel and the payload bytes still to come. */
  private body: { channel: number; remaining: number; endPending: boolean } | undefined;

  get midMessage(): boolean {
    return this.contents.size > 0;
  }

  decode(reader: BufferReader): ParseResult<AmqpCommand> {
    const result = this.decodeFrames(reader);
    // An invalid frame rewinds to its first byte, so the resync starts right after it.
    if (result.status === "invalid") reader.rewind(this.frameStart);
    return result;
  }

  /** Where the frame being decoded began. */
  private frameStart = 0;

  private decodeFrames(reader: BufferReader): ParseResult<AmqpCommand> {
    this.frameStart = reader.position;
    for (;;) {
      if (this.body !== undefined) {
        const step = this.continueBody(reader);
        if (step !== "done") return step;
        const content = this.contents.get(this.body.channel);
        this.body = undefined;
        if (content !== undefined && content.bodyRemaining === 0) return ok(this.complete(content));
        continue;
      }
      const start = reader.position;
      this.frameStart = start;
      const head = reader.readBytes(PROTOCOL_HEADER.length);
      if (head[0] === PROTOCOL_HEADER[0]) {
        // 'A': the protocol header (a frame type is 1, 2, 3 or 8); another version is not ours.
        if (head.length < PROTOCOL_HEADER.length) {
          reader.rewind(start);
          return needsMoreData;
        }
        if (!head.equals(PROTOCOL_HEADER)) return invalid("protocol header of another AMQP version");
        continue;
      }
      if (head.length < FRAME_HEADER_BYTES) {
        reader.rewind(start);
        return needsMoreData;
      }
      const type = head[0] ?? 0;
      const channel = head.readUInt16BE(1);
      const size = head.readUInt32BE(3);
      if (type === FrameType.Body) {
        const content = this.contents.get(channel);
        if (content?.bodyRemaining === undefined) return invalid("body frame without a content header");
        if (size > MAX_BODY_FRAME || size > content.bodyRemaining)
          return invalid("body frame larger than its content");
        reader.rewind(start + FRAME_HEADER_BYTES);
        content.wireBytes += FRAME_HEADER_BYTES + size + 1;
        content.bodyRemaining -= size;
        this.body = { channel, remaining: size, endPending: true };
        continue;
      }
      if (type !== FrameType.Method && type !== FrameType.Header && type !== FrameType.Heartbeat)
        return invalid("unknown AMQP frame type");
      if (size > MAX_WHOLE_FRAME) return invalid("method or header frame beyond any frame-max");
      reader.rewind(start);
      if (reader.remaining < FRAME_HEADER_BYTES + size + 1) return needsMoreData;
      const frame = reader.readBytes(FRAME_HEADER_BYTES + size + 1);
      if (frame[frame.length - 1] !== FRAME_END) return invalid("frame-end octet is not 0xCE");
      const payload = frame.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + size);
      if (type === FrameType.Heartbeat) continue;
      if (type === FrameType.Header) {
        const content = this.contents.get(channel);
        if (content === undefined || content.bodyRemaining !== undefined || payload.length < 14)
          return invalid("content header without a content method");
        // class-id (2), weight (2), body-size (8), property flags... (§4.2.6.1)
        const bodySize = Number(payload.readBigUInt64BE(4));
        content.bodySize = bodySize;
        content.bodyRemaining = bodySize;
        const traceParent = traceParentHeader(payload);
        if (traceParent !== undefined) content.traceParent = traceParent;
        content.wireBytes += frame.length;
        if (bodySize === 0) return ok(this.complete(content));
        continue;
      }
      const method = decodeMethod(channel, payload);
      if (typeof method === "string") return invalid(method);
      if (CONTENT_METHODS.has(method.name)) {
        // A new method on a channel ends any content there (§4.2.6): it was cut short.
        this.contents.set(channel, {
          method,
          wireBytes: frame.length,
          bodyRemaining: undefined,
          bodySize: 0,
        });
        continue;
      }
      return ok({ ...method, bodySize: 0, wireBytes: frame.length });
    }
  }

  private continueBody(reader: BufferReader): ParseResult<AmqpCommand> | "done" {
    const body = this.body;
    if (body === undefined) return "done";
    body.remaining -= reader.readBytes(body.remaining).length;
    if (body.remaining > 0) return needsMoreData;
    if (reader.remaining < 1) return needsMoreData;
    if (reader.readBytes(1)[0] !== FRAME_END) return invalid("frame-end octet is not 0xCE");
    return "done";
  }

  private complete(content: ContentInProgress): AmqpCommand {
    this.contents.delete(content.method.channel);
    return {
      ...content.method,
      bodySize: content.bodySize,
      wireBytes: content.wireBytes,
      ...(content.traceParent === undefined ? {} : { traceParent: content.traceParent }),
    };
  }

  /** Uncaptured bytes inside a body frame are just body: step over them. */
  absorbGap(length: number): boolean {
    if (this.body === undefined || length > this.body.remaining) return false;
    this.body.remaining -= length;
    return true;
  }

  /** A gap swallowed the rest of a content body: the method is still known. */
  cutAtGap(length: number): AmqpCommand | undefined {
    const content = this.body === undefined ? undefined : this.contents.get(this.body.channel);
    if (content === undefined) return undefined;
    content.wireBytes += length;
    return this.complete(content);
  }

  endOfStream(): AmqpCommand | undefined {
    return undefined;
  }

  /**
   * A frame start: the protocol header, a heartbeat, or a method frame of a
   * known class and method whose 0xCE frame-end is where its size says, when
   * that lies within `bytes`. A candidate whose end is not here yet is
   * returned as is (decode then waits and judges it), so the answer does not
   * depend on how the bytes were chunked.
   */
  findFrameBoundary(bytes: Buffer, from: number): number {
    for (let index = from; index + RESYNC_PROBE_BYTES <= bytes.length; index++) {
      if (bytes.subarray(index, index + PROTOCOL_HEADER.length).equals(PROTOCOL_HEADER)) return index;
      const type = bytes[index];
      const size = bytes.readUInt32BE(index + 3);
      if (type === FrameType.Heartbeat) {
        if (size === 0 && bytes[index + FRAME_HEADER_BYTES] === FRAME_END) return index;
        continue;
      }
      if (type !== FrameType.Method || size < 4 || size > MAX_RESYNC_METHOD) continue;
      const payload = index + FRAME_HEADER_BYTES;
      if (!METHOD_NAMES.has(methodKey(bytes.readUInt16BE(payload), bytes.readUInt16BE(payload + 2))))
        continue;
      const end = payload + size;
      if (end >= bytes.length || bytes[end] === FRAME_END) return index;
    }
    return -1;
  }

  reset(): void {
    this.contents.clear();
    this.body = undefined;
  }
}
