import { DEFAULT_REDACTION_RULES } from "../../records/redaction-rules.js";
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
const SENSITIVE_HEADERS: ReadonlySet<string> = DEFAULT_REDACTION_RULES.headers;

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
      /** A non-DATA frame whose payload is arriving in pieces. */
      name: "payload";
      header: FrameHeader;
      chunks: Buffer[];
      received: number;
      /** Part of the payload went uncaptured: the frame is known only by its header. */
      lost: boolean;
    };

/** A header block waiting for its CONTINUATION frames (§6.10). */
interface BlockInProgress {
  streamId: number;
  endStream: boolean;
  promisedStreamId: number | undefined;
  fragments: Buffer[];
  fragmentBytes: number;
  wireBytes: number;
  /** A fragment went uncaptured: the block cannot be decoded. */
  lost: boolean;
}

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
 * are gathered (at most SETTINGS_MAX_FRAME_SIZE) and read once whole.
 */
export class Http2FrameDecoder implements MessageDecoder<Http2Event> {
  readonly boundaryLookback = 2 * FRAME_HEADER_LENGTH + CHAINED_CHECK_MAX_LENGTH - 1;
  readonly finished = false;
  readonly hpack: HpackDecoder;
  /** The first bytes were not the start of the connection. */
  joinedMidConnection = false;
  /** Header blocks that failed to decode. */
  hpackErrors = 0;
  private phase: Phase;
  private block: BlockInProgress | undefined;
  /** The receiving peer's SETTINGS_MAX_FRAME_SIZE (§4.2), largest announced. */
  private frameSizeLimit: number = FrameSizeLimit.initial;
  private readonly grpcStreams = new Map<number, GrpcMessageCounter>();

  constructor(
    readonly side: "client" | "server",
    /** True when the pairing side holds exchanges to hand out through a flush event. */
    private readonly hasPendingExchanges: () => boolean = () => false,
    redactedHeaders: ReadonlySet<string> = SENSITIVE_HEADERS,
  ) {
    this.hpack = new HpackDecoder(DEFAULT_HEADER_TABLE_SIZE, { redactedNames: redactedHeaders });
    this.phase = side === "client" ? { name: "preface" } : { name: "first-frame" };
  }

  get midMessage(): boolean {
    return this.phase.name === "data" || this.phase.name === "payload" || this.block !== undefined;
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
    const block = this.block;
    if (
      block !== undefined &&
      (header.type !== FrameType.Continuation || header.streamId !== block.streamId)
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
    if (reader.remaining >= header.length) {
      const outcome = this.handleFrame(header, reader.readBytes(header.length));
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
      ? this.lostFrame(phase.header)
      : this.handleFrame(phase.header, Buffer.concat(phase.chunks));
    if (typeof outcome === "string") return invalid(outcome);
    return outcome === undefined ? needsMoreData : ok(outcome);
  }

  /**
   * A frame whose payload went partly uncaptured. A header block's loss leaves
   * the HPACK table unknown; the stream id and END_STREAM in the frame header
   * still say which stream it belonged to and whether it ended there.
   */
  private lostFrame(header: FrameHeader): Http2Event | undefined {
    const { type, flags, streamId } = header;
    const wireBytes = FRAME_HEADER_LENGTH + header.length;
    if (type !== FrameType.Headers && type !== FrameType.PushPromise && type !== FrameType.Continuation) {
      return undefined;
    }
    this.hpack.loseContext();
    if (type === FrameType.Headers) {
      this.block = {
        streamId,
        endStream: (flags & FrameFlag.EndStream) !== 0,
        promisedStreamId: undefined,
        fragments: [],
        fragmentBytes: 0,
        wireBytes: 0,
        lost: true,
      };
    } else if (type === FrameType.PushPromise) {
      // The promised stream's id is in the lost payload: the push goes unreported.
      if ((flags & FrameFlag.EndHeaders) === 0) this.block = undefined;
      return undefined;
    }
    const block = this.block;
    if (block === undefined) return undefined;
    block.lost = true;
    block.wireBytes += wireBytes;
    if ((flags & FrameFlag.EndHeaders) === 0) return undefined;
    this.block = undefined;
    return this.headerBlock(block);
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
        const block: BlockInProgress = {
          streamId,
          endStream,
          promisedStreamId,
          fragments: [fragment],
          fragmentBytes: fragment.length,
          wireBytes,
          lost: false,
        };
        if (flags & FrameFlag.EndHeaders) return this.headerBlock(block);
        // The fragment is a view into bytes the stream buffer will drop.
        block.fragments = [Buffer.from(fragment)];
        this.block = block;
        return undefined;
      }
      case FrameType.Continuation: {
        const block = this.block;
        if (block === undefined) return "CONTINUATION without a header block";
        block.fragments.push(Buffer.from(payload));
        block.fragmentBytes += payload.length;
        block.wireBytes += wireBytes;
        if (block.fragmentBytes > MAX_HEADER_BLOCK) return "header block too large";
        if ((flags & FrameFlag.EndHeaders) === 0) return undefined;
        this.block = undefined;
        return this.headerBlock(block);
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

  private headerBlock(block: BlockInProgress): Http2Event {
    const { streamId, endStream, promisedStreamId, fragments, wireBytes } = block;
    let fields: HeaderField[] = [];
    let unknownFields = 0;
    let decoded = false;
    if (!block.lost) {
      const result = this.hpack.decode(
        fragments.length === 1 ? (fragments[0] ?? Buffer.alloc(0)) : Buffer.concat(fragments),
      );
      if (result.status === "ok") {
        fields = result.fields;
        unknownFields = result.unknownFields;
        decoded = true;
      } else {
        // A peer would end the connection (COMPRESSION_ERROR, RFC 7541 §2.3.3); we
        // keep reading, with the table no longer trusted.
        this.hpackErrors++;
        this.hpack.loseContext();
      }
    }
    if (promisedStreamId === undefined) this.trackGrpc(streamId, fields, endStream);
    const event: Http2Event = {
      kind: "headers",
      streamId,
      endStream,
      fields,
      unknownFields,
      decoded,
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
    if (phase.name === "payload") {
      if (length > phase.header.length - phase.received) return false;
      phase.lost = true;
      phase.received += length;
      return true;
    }
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

  cutAtGap(_length: number): Http2Event | undefined {
    // A frame's extent and stream are known from its header, so what it says of its stream is reported.
    const phase = this.phase;
    if (phase.name === "payload") {
      this.phase = { name: "frames" };
      const outcome = this.lostFrame(phase.header);
      return typeof outcome === "object" ? outcome : undefined;
    }
    if (phase.name !== "data") return undefined;
    const counter = this.grpcStreams.get(phase.header.streamId);
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
    if (this.phase.name === "preface" || this.phase.name === "first-frame") {
      this.joinMidConnection();
    } else {
      this.hpack.loseContext();
    }
    for (const counter of this.grpcStreams.values()) counter.inSync = false;
    this.phase = { name: "frames" };
    this.block = undefined;
  }

  private joinMidConnection(): void {
    this.joinedMidConnection = true;
    this.hpack.loseContext();
    // The peers' SETTINGS went unseen: any size up to the protocol's limit may be in force.
    this.frameSizeLimit = FrameSizeLimit.largest;
    this.phase = { name: "frames" };
  }
}
