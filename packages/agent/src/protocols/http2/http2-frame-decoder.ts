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
  SettingsParameter,
} from "./frame-syntax.js";
import { GrpcMessageCounter } from "./grpc-message-counter.js";
import { DEFAULT_HEADER_TABLE_SIZE, type HeaderField, HpackDecoder } from "./hpack/hpack-decoder.js";

/** What one direction's frames tell the pairing side; one per frame that matters to a stream. */
export type Http2Event =
  | {
      kind: "headers";
      streamId: number;
      endStream: boolean;
      fields: HeaderField[];
      /** Fields that could not be decoded (dynamic-table entries from before we joined). */
      unknownFields: number;
      /** False when the block failed to decode (its fields are then empty). */
      decoded: boolean;
      /** Set for PUSH_PROMISE: the stream the promised request opens. */
      promisedStreamId?: number;
      wireBytes: number;
    }
  | {
      kind: "data";
      streamId: number;
      endStream: boolean;
      wireBytes: number;
      /** gRPC messages completed on the stream in this direction so far; absent on non-gRPC streams. */
      grpc?: { messages: number; inSync: boolean };
    }
  | { kind: "reset"; streamId: number; errorCode: number; wireBytes: number }
  | { kind: "goaway"; lastStreamId: number; errorCode: number }
  | { kind: "settings"; headerTableSize?: number; maxFrameSize?: number }
  /** No bytes: the pairing side has exchanges waiting to be handed out (see Http2Parser). */
  | { kind: "flush" };

/** Values of these are replaced before they are stored, in the HPACK table too. */
const SENSITIVE_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
]);

/** A header block (HEADERS/PUSH_PROMISE + CONTINUATION) larger than this is refused. */
const MAX_HEADER_BLOCK = 256 * 1024;
/** Frames up to this long need a plausible successor to count as a resync point. */
const CHAINED_CHECK_MAX_LENGTH = 55;
/** Streams whose gRPC framing is followed at once, per direction; the oldest is dropped past it. */
const MAX_TRACKED_STREAMS = 1024;

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
      name: "continuation";
      streamId: number;
      endStream: boolean;
      promisedStreamId: number | undefined;
      fragments: Buffer[];
      fragmentBytes: number;
      wireBytes: number;
    };

/**
 * One direction of an HTTP/2 connection (RFC 9113), frame by frame. The
 * client's direction starts with the connection preface, the server's with a
 * SETTINGS frame (§3.4); when the first bytes are neither, the agent joined
 * the connection late and HPACK decoding runs with an incomplete context.
 *
 * Every call handles at most one frame, so the driver stamps each frame with
 * its own first byte. DATA payloads stream through without being buffered;
 * other frames are read once whole.
 */
export class Http2FrameDecoder implements MessageDecoder<Http2Event> {
  readonly boundaryLookback = 2 * FRAME_HEADER_LENGTH + CHAINED_CHECK_MAX_LENGTH - 1;
  readonly finished = false;
  readonly hpack = new HpackDecoder(DEFAULT_HEADER_TABLE_SIZE, { redactedNames: SENSITIVE_HEADERS });
  /** The first bytes were not the start of the connection. */
  joinedMidConnection = false;
  /** Header blocks that failed to decode. */
  hpackErrors = 0;
  private phase: Phase;
  /** The receiving peer's SETTINGS_MAX_FRAME_SIZE (§4.2), largest announced. */
  private frameSizeLimit: number = FrameSizeLimit.initial;
  private readonly grpcStreams = new Map<number, GrpcMessageCounter>();

  constructor(
    readonly side: "client" | "server",
    /** True when the pairing side holds exchanges to hand out through a flush event. */
    private readonly hasPendingExchanges: () => boolean = () => false,
  ) {
    this.phase = side === "client" ? { name: "preface" } : { name: "first-frame" };
  }

  get midMessage(): boolean {
    return this.phase.name === "data" || this.phase.name === "continuation";
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
    const phase = this.phase;
    if (phase.name === "first-frame") {
      // §3.4: the server's preface is a SETTINGS frame; anything else means we joined late.
      if (header.type !== FrameType.Settings) this.joinMidConnection();
      this.phase = { name: "frames" };
    }
    if (
      phase.name === "continuation" &&
      (header.type !== FrameType.Continuation || header.streamId !== phase.streamId)
    ) {
      // §6.10: nothing may interleave with a header block.
      return refuse("header block interrupted");
    }
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
    if (reader.remaining < header.length) {
      reader.rewind(start);
      return needsMoreData;
    }
    const payload = reader.readBytes(header.length);
    const outcome = this.handleFrame(header, payload);
    if (typeof outcome === "string") return refuse(outcome);
    return outcome === undefined ? needsMoreData : ok(outcome);
  }

  /** A whole non-DATA frame: its event, undefined when it tells a stream nothing, or why it is malformed. */
  private handleFrame(header: FrameHeader, payload: Buffer): Http2Event | undefined | string {
    const { type, flags, streamId } = header;
    const wireBytes = FRAME_HEADER_LENGTH + header.length;
    switch (type) {
      case FrameType.Headers:
      case FrameType.PushPromise: {
        if (streamId === 0) return "header block on stream 0";
        const padded = (flags & FrameFlag.Padded) !== 0;
        let offset = padded ? 1 : 0;
        const padLength = padded ? (payload[0] ?? 0) : 0;
        let promisedStreamId: number | undefined;
        if (type === FrameType.Headers && flags & FrameFlag.Priority) offset += 5; // §6.2 E + dependency + weight
        if (type === FrameType.PushPromise) {
          if (payload.length < offset + 4) return "PUSH_PROMISE too short";
          promisedStreamId = payload.readUInt32BE(offset) & 0x7fffffff;
          offset += 4;
        }
        // §6.2, §6.6: padding that exceeds the payload is a PROTOCOL_ERROR.
        if (offset + padLength > payload.length) return "padding exceeds the frame";
        const fragment = payload.subarray(offset, payload.length - padLength);
        const endStream = type === FrameType.Headers && (flags & FrameFlag.EndStream) !== 0;
        if (flags & FrameFlag.EndHeaders) {
          return this.headerBlock(streamId, endStream, promisedStreamId, [fragment], wireBytes);
        }
        this.phase = {
          name: "continuation",
          streamId,
          endStream,
          promisedStreamId,
          fragments: [Buffer.from(fragment)],
          fragmentBytes: fragment.length,
          wireBytes,
        };
        return undefined;
      }
      case FrameType.Continuation: {
        const phase = this.phase;
        if (phase.name !== "continuation") return "CONTINUATION without a header block";
        phase.fragments.push(Buffer.from(payload));
        phase.fragmentBytes += payload.length;
        phase.wireBytes += wireBytes;
        if (phase.fragmentBytes > MAX_HEADER_BLOCK) return "header block too large";
        if ((flags & FrameFlag.EndHeaders) === 0) return undefined;
        this.phase = { name: "frames" };
        return this.headerBlock(
          phase.streamId,
          phase.endStream,
          phase.promisedStreamId,
          phase.fragments,
          phase.wireBytes,
        );
      }
      case FrameType.RstStream:
        if (streamId === 0 || payload.length !== 4) return "malformed RST_STREAM";
        this.grpcStreams.delete(streamId);
        return { kind: "reset", streamId, errorCode: payload.readUInt32BE(0), wireBytes };
      case FrameType.Settings:
        return this.settings(header, payload);
      case FrameType.GoAway:
        if (streamId !== 0 || payload.length < 8) return "malformed GOAWAY";
        return {
          kind: "goaway",
          lastStreamId: payload.readUInt32BE(0) & 0x7fffffff,
          errorCode: payload.readUInt32BE(4),
        };
      default:
        // PRIORITY, PING, WINDOW_UPDATE say nothing about a request; unknown types
        // must be ignored (§4.1, §5.5).
        return undefined;
    }
  }

  private settings(header: FrameHeader, payload: Buffer): Http2Event | undefined | string {
    if (header.streamId !== 0 || payload.length % 6 !== 0) return "malformed SETTINGS";
    if (header.flags & FrameFlag.Ack) return undefined;
    const event: Http2Event & { kind: "settings" } = { kind: "settings" };
    for (let at = 0; at < payload.length; at += 6) {
      const value = payload.readUInt32BE(at + 2);
      switch (payload.readUInt16BE(at)) {
        case SettingsParameter.HeaderTableSize:
          event.headerTableSize = value;
          break;
        case SettingsParameter.MaxFrameSize:
          // §6.5.2: valid from 2^14 to 2^24-1.
          if (value < FrameSizeLimit.initial || value > FrameSizeLimit.largest)
            return "bad SETTINGS_MAX_FRAME_SIZE";
          event.maxFrameSize = value;
          break;
      }
    }
    return event;
  }

  private headerBlock(
    streamId: number,
    endStream: boolean,
    promisedStreamId: number | undefined,
    fragments: Buffer[],
    wireBytes: number,
  ): Http2Event {
    const block = fragments.length === 1 ? (fragments[0] ?? Buffer.alloc(0)) : Buffer.concat(fragments);
    const result = this.hpack.decode(block);
    let fields: HeaderField[] = [];
    let unknownFields = 0;
    if (result.status === "ok") {
      fields = result.fields;
      unknownFields = result.unknownFields;
    } else {
      // A peer would end the connection (COMPRESSION_ERROR, RFC 7541 §2.3.3); we
      // keep reading, with the table no longer trusted.
      this.hpackErrors++;
      this.hpack.loseContext();
    }
    if (promisedStreamId === undefined) this.trackGrpc(streamId, fields, endStream);
    const event: Http2Event = {
      kind: "headers",
      streamId,
      endStream,
      fields,
      unknownFields,
      decoded: result.status === "ok",
      wireBytes,
    };
    if (promisedStreamId !== undefined) event.promisedStreamId = promisedStreamId;
    return event;
  }

  private trackGrpc(streamId: number, fields: HeaderField[], endStream: boolean): void {
    if (endStream) {
      this.grpcStreams.delete(streamId);
      return;
    }
    const contentType = fields.find((field) => field.name === "content-type")?.value;
    if (contentType === undefined || !contentType.startsWith("application/grpc")) return;
    if (this.grpcStreams.has(streamId)) return;
    if (this.grpcStreams.size >= MAX_TRACKED_STREAMS) {
      const oldest = this.grpcStreams.keys().next().value;
      if (oldest !== undefined) this.grpcStreams.delete(oldest);
    }
    this.grpcStreams.set(streamId, new GrpcMessageCounter());
  }

  private readData(reader: BufferReader, phase: Phase & { name: "data" }): ParseResult<Http2Event> {
    const counter = this.grpcStreams.get(phase.header.streamId);
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
    const { streamId, flags, length } = phase.header;
    const endStream = (flags & FrameFlag.EndStream) !== 0;
    const counter = this.grpcStreams.get(streamId);
    if (endStream) this.grpcStreams.delete(streamId);
    const event: Http2Event = { kind: "data", streamId, endStream, wireBytes: FRAME_HEADER_LENGTH + length };
    if (counter !== undefined) event.grpc = { messages: counter.completed, inSync: counter.inSync };
    return event;
  }

  absorbGap(length: number): boolean {
    const phase = this.phase;
    if (phase.name !== "data" || length > phase.payloadRemaining) return false;
    const counter = this.grpcStreams.get(phase.header.streamId);
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

  cutAtGap(length: number): Http2Event | undefined {
    // A DATA frame's end is known from its header, so it is reported; a header block is lost.
    if (this.phase.name !== "data") return undefined;
    const counter = this.grpcStreams.get(this.phase.header.streamId);
    if (counter !== undefined) counter.inSync = false;
    void length;
    return this.finishData(this.phase);
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
    if (this.phase.name === "preface" || this.phase.name === "first-frame") {
      this.joinMidConnection();
    } else {
      this.hpack.loseContext();
    }
    for (const counter of this.grpcStreams.values()) counter.inSync = false;
    this.phase = { name: "frames" };
  }

  private joinMidConnection(): void {
    this.joinedMidConnection = true;
    this.hpack.loseContext();
    // The peers' SETTINGS went unseen: any size up to the protocol's limit may be in force.
    this.frameSizeLimit = FrameSizeLimit.largest;
    this.phase = { name: "frames" };
  }
}
