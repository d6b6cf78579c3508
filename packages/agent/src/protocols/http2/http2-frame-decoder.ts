import type { BufferReader } from "../buffer-reader.js";
import type { MessageDecoder } from "../message-decoder.js";
import { invalid, needsMoreData, ok, type ParseResult } from "../parse-result.js";
import {
  CLIENT_PREFACE,
  FRAME_HEADER_LENGTH,
  FrameFlag,
  type FrameHeader,
  FrameSizeLimit,
  FrameType,
  isPlausibleFrameHeader,
  readFrameHeader,
} from "./frame-syntax.js";
import type { HpackDecoder } from "./hpack/hpack-decoder.js";
import type { Http2Event } from "./http2-event.js";
import { Http2FrameHandler } from "./http2-frame-handler.js";

export type { Http2Event };

/** Frames up to this long need a plausible successor to count as a resync point. */
const CHAINED_CHECK_MAX_LENGTH = 55;

type Phase =
  | { name: "preface" }
  | { name: "first-frame" }
  | { name: "frames" }
  | {
      name: "data";
      header: FrameHeader;
      /** Payload octets still to come (pad length octet, data, padding). */
      payloadRemaining: number;
      /** Undefined while a PADDED frame's Pad Length octet is still to come. */
      padLength: number | undefined;
      dataRemaining: number;
    }
  | {
      /** A non-DATA frame whose payload is arriving in pieces. */
      name: "payload";
      header: FrameHeader;
      chunks: Buffer[];
      received: number;
      /** Part of the payload went uncaptured: the frame is known only by its header. */
      lost: boolean;
    };

/**
 * One direction of an HTTP/2 connection (RFC 9113), frame by frame. The
 * client's direction starts with the connection preface, the server's with a
 * SETTINGS frame (§3.4); when the first bytes are neither, the agent joined
 * the connection late and HPACK decoding runs with an incomplete context.
 *
 * Every call handles at most one frame, so the driver stamps each frame with
 * its own first byte. Frame headers are consumed as soon as they are whole, so
 * uncaptured bytes inside a frame are stepped over with the frame boundary
 * kept. DATA payloads stream through without being buffered; other payloads
 * are gathered (at most SETTINGS_MAX_FRAME_SIZE) and read once whole; what
 * each whole frame means is Http2FrameHandler's concern.
 */
export class Http2FrameDecoder implements MessageDecoder<Http2Event> {
  readonly boundaryLookback = 2 * FRAME_HEADER_LENGTH + CHAINED_CHECK_MAX_LENGTH - 1;
  readonly finished = false;
  /** The first bytes were not the start of the connection. */
  joinedMidConnection = false;
  private phase: Phase;
  private readonly frames: Http2FrameHandler;
  /** The receiving peer's SETTINGS_MAX_FRAME_SIZE (§4.2), largest announced. */
  private frameSizeLimit: number = FrameSizeLimit.initial;

  constructor(
    readonly side: "client" | "server",
    /** True when the pairing side holds exchanges to hand out through a flush event. */
    private readonly hasPendingExchanges: () => boolean = () => false,
    redactedHeaders?: ReadonlySet<string>,
  ) {
    this.frames = new Http2FrameHandler(redactedHeaders);
    this.phase = side === "client" ? { name: "preface" } : { name: "first-frame" };
  }

  /** This direction's HPACK decoder (the peer's SETTINGS resize its table). */
  get hpack(): HpackDecoder {
    return this.frames.hpack;
  }

  /** Header blocks that failed to decode. */
  get hpackErrors(): number {
    return this.frames.hpackErrors;
  }

  get midMessage(): boolean {
    return this.phase.name === "data" || this.phase.name === "payload" || this.frames.inHeaderBlock;
  }

  /** The peer that reads this direction announced SETTINGS_MAX_FRAME_SIZE. */
  announceMaxFrameSize(value: number): void {
    this.frameSizeLimit = Math.max(this.frameSizeLimit, Math.min(value, FrameSizeLimit.largest));
  }

  decode(reader: BufferReader): ParseResult<Http2Event> {
    if (!this.midMessage && this.hasPendingExchanges()) return ok({ kind: "flush" });
    switch (this.phase.name) {
      case "preface":
        return this.readPreface(reader);
      case "data":
        return this.readData(reader, this.phase);
      case "payload":
        return this.readPayload(reader, this.phase);
      default:
        return this.readFrame(reader);
    }
  }

  private readPreface(reader: BufferReader): ParseResult<Http2Event> {
    const available = Math.min(reader.remaining, CLIENT_PREFACE.length);
    for (let index = 0; index < available; index++) {
      if (reader.peekByte(index) !== CLIENT_PREFACE[index]) {
        this.joinMidConnection();
        return this.readFrame(reader);
      }
    }
    if (available < CLIENT_PREFACE.length) return needsMoreData;
    reader.skip(CLIENT_PREFACE.length);
    this.phase = { name: "frames" };
    return needsMoreData;
  }

  private readFrame(reader: BufferReader): ParseResult<Http2Event> {
    const start = reader.position;
    const header = readFrameHeader(reader.readBytes(FRAME_HEADER_LENGTH), 0);
    if (header === undefined) {
      reader.rewind(start);
      return needsMoreData;
    }
    const refuse = (reason: string): ParseResult<Http2Event> => {
      // The boundary search resumes one byte into this frame.
      reader.rewind(start + 1);
      return invalid(reason);
    };
    if (header.length > this.frameSizeLimit) return refuse("frame larger than SETTINGS_MAX_FRAME_SIZE");
    if (this.phase.name === "first-frame") {
      // §3.4: the server's preface is a SETTINGS frame; anything else means we joined late.
      if (header.type !== FrameType.Settings) this.joinMidConnection();
      this.phase = { name: "frames" };
    }
    if (this.frames.interrupts(header)) return refuse("header block interrupted");
    if (header.type === FrameType.Data) {
      if (header.streamId === 0) return refuse("DATA on stream 0");
      const padded = (header.flags & FrameFlag.Padded) !== 0;
      this.phase = {
        name: "data",
        header,
        payloadRemaining: header.length,
        padLength: padded ? undefined : 0,
        dataRemaining: padded ? 0 : header.length,
      };
      return this.readData(reader, this.phase);
    }
    if (reader.remaining >= header.length) {
      const outcome = this.frames.handleFrame(header, reader.readBytes(header.length));
      if (typeof outcome === "string") return refuse(outcome);
      return outcome === undefined ? needsMoreData : ok(outcome);
    }
    this.phase = { name: "payload", header, chunks: [], received: 0, lost: false };
    return this.readPayload(reader, this.phase);
  }

  private readPayload(reader: BufferReader, phase: Phase & { name: "payload" }): ParseResult<Http2Event> {
    const piece = reader.readBytes(Math.min(phase.header.length - phase.received, reader.remaining));
    // Copied: the stream buffer's bytes are consumed before the frame completes.
    if (piece.length > 0) phase.chunks.push(Buffer.from(piece));
    phase.received += piece.length;
    if (phase.received < phase.header.length) return needsMoreData;
    this.phase = { name: "frames" };
    const outcome = phase.lost
      ? this.frames.lostFrame(phase.header)
      : this.frames.handleFrame(phase.header, Buffer.concat(phase.chunks));
    if (typeof outcome === "string") return invalid(outcome);
    return outcome === undefined ? needsMoreData : ok(outcome);
  }

  private readData(reader: BufferReader, phase: Phase & { name: "data" }): ParseResult<Http2Event> {
    const counter = this.frames.grpcCounter(phase.header.streamId);
    if (phase.padLength === undefined) {
      if (reader.remaining === 0) return needsMoreData;
      const padLength = reader.readBytes(1)[0] ?? 0;
      phase.payloadRemaining -= 1;
      // §6.1: padding as long as the payload or longer is a PROTOCOL_ERROR.
      if (padLength > phase.payloadRemaining) return invalid("DATA padding exceeds the frame");
      phase.padLength = padLength;
      phase.dataRemaining = phase.payloadRemaining - padLength;
    }
    const data = reader.readBytes(Math.min(phase.dataRemaining, reader.remaining));
    counter?.feed(data);
    phase.dataRemaining -= data.length;
    phase.payloadRemaining -= data.length;
    if (phase.dataRemaining === 0) {
      const padding = Math.min(phase.payloadRemaining, reader.remaining);
      reader.skip(padding);
      phase.payloadRemaining -= padding;
    }
    if (phase.payloadRemaining > 0) return needsMoreData;
    return ok(this.finishData(phase));
  }

  private finishData(phase: Phase & { name: "data" }): Http2Event {
    this.phase = { name: "frames" };
    return this.frames.dataEvent(phase.header);
  }

  absorbGap(length: number): boolean {
    const phase = this.phase;
    if (phase.name === "payload") {
      if (length > phase.header.length - phase.received) return false;
      phase.lost = true;
      phase.received += length;
      return true;
    }
    if (phase.name !== "data" || length > phase.payloadRemaining) return false;
    const counter = this.frames.grpcCounter(phase.header.streamId);
    if (phase.padLength === undefined) {
      // The pad length went missing: where the data ends is unknown, so the rest is opaque.
      if (counter !== undefined) counter.inSync = false;
      phase.padLength = 0;
      phase.dataRemaining = 0;
    } else {
      const data = Math.min(length, phase.dataRemaining);
      counter?.skip(data);
      phase.dataRemaining -= data;
    }
    phase.payloadRemaining -= length;
    return true;
  }

  cutAtGap(_length: number): Http2Event | undefined {
    // A frame's extent and stream are known from its header, so what it says of its stream is reported.
    const phase = this.phase;
    if (phase.name === "payload") {
      this.phase = { name: "frames" };
      const outcome = this.frames.lostFrame(phase.header);
      return typeof outcome === "object" ? outcome : undefined;
    }
    if (phase.name !== "data") return undefined;
    const counter = this.frames.grpcCounter(phase.header.streamId);
    if (counter !== undefined) counter.inSync = false;
    return this.finishData(phase);
  }

  endOfStream(): Http2Event | undefined {
    return this.hasPendingExchanges() ? { kind: "flush" } : undefined;
  }

  /**
   * The next offset where a frame plausibly starts. A lone nine-byte header is
   * weak evidence when its length is small (a run of zeros reads as an empty
   * DATA frame), so a short frame must be followed by a plausible header too.
   * Each offset is judged on its next `boundaryLookback` + 1 bytes only, and
   * undecided until they are there, so the answer does not depend on chunking.
   */
  findFrameBoundary(bytes: Buffer, from: number): number {
    for (let index = from; index + FRAME_HEADER_LENGTH <= bytes.length; index++) {
      if (!isPlausibleFrameHeader(bytes, index)) continue;
      const length = bytes.readUIntBE(index, 3);
      if (length > CHAINED_CHECK_MAX_LENGTH) return index;
      const next = index + FRAME_HEADER_LENGTH + length;
      if (next + FRAME_HEADER_LENGTH > bytes.length) return -1;
      if (isPlausibleFrameHeader(bytes, next)) return index;
    }
    return -1;
  }

  /** Lost place (a gap, a malformed frame): header blocks may have gone unseen. */
  reset(): void {
    if (this.phase.name === "preface" || this.phase.name === "first-frame") this.joinMidConnection();
    this.frames.loseContext();
    this.phase = { name: "frames" };
  }

  private joinMidConnection(): void {
    this.joinedMidConnection = true;
    this.frames.hpack.loseContext();
    // The peers' SETTINGS went unseen: any size up to the protocol's limit may be in force.
    this.frameSizeLimit = FrameSizeLimit.largest;
    this.phase = { name: "frames" };
  }
}
