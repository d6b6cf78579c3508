import { DEFAULT_REDACTION_RULES } from "../../records/redaction-rules.js";
import {
  FRAME_HEADER_LENGTH,
  FrameFlag,
  type FrameHeader,
  FrameSizeLimit,
  FrameType,
  SettingsParameter,
} from "./frame-syntax.js";
import { GrpcMessageCounter } from "./grpc-message-counter.js";
import { DEFAULT_HEADER_TABLE_SIZE, type HeaderField, HpackDecoder } from "./hpack/hpack-decoder.js";
import type { Http2Event } from "./http2-event.js";

/** Values of these are replaced before they are stored, in the HPACK table too. */
const SENSITIVE_HEADERS: ReadonlySet<string> = DEFAULT_REDACTION_RULES.headers;

/** A header block (HEADERS/PUSH_PROMISE + CONTINUATION) larger than this is refused. */
const MAX_HEADER_BLOCK = 256 * 1024;
/** Streams whose gRPC framing is followed at once, per direction; the oldest is dropped past it. */
const MAX_TRACKED_STREAMS = 1024;

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
 * What each whole frame of one direction means (RFC 9113 §6), once
 * Http2FrameDecoder has read it off the stream: header blocks assembled across
 * CONTINUATION frames and decoded with this direction's HPACK table, stream
 * resets, SETTINGS, GOAWAY, and the gRPC message framing followed inside each
 * gRPC stream's DATA.
 */
export class Http2FrameHandler {
  readonly hpack: HpackDecoder;
  /** Header blocks that failed to decode. */
  hpackErrors = 0;
  private block: BlockInProgress | undefined;
  private readonly grpcStreams = new Map<number, GrpcMessageCounter>();

  constructor(redactedHeaders: ReadonlySet<string> = SENSITIVE_HEADERS) {
    this.hpack = new HpackDecoder(DEFAULT_HEADER_TABLE_SIZE, { redactedNames: redactedHeaders });
  }

  /** True while a header block waits for its CONTINUATION frames. */
  get inHeaderBlock(): boolean {
    return this.block !== undefined;
  }

  /** §6.10: nothing may interleave with a header block but its own CONTINUATION. */
  interrupts(header: FrameHeader): boolean {
    const block = this.block;
    return (
      block !== undefined && (header.type !== FrameType.Continuation || header.streamId !== block.streamId)
    );
  }

  /** The gRPC message counter of a stream's DATA in this direction, if it is a gRPC stream. */
  grpcCounter(streamId: number): GrpcMessageCounter | undefined {
    return this.grpcStreams.get(streamId);
  }

  /** A DATA frame ended: its event, with the stream's gRPC message count. */
  dataEvent(header: FrameHeader): Http2Event {
    const { streamId, flags, length } = header;
    const endStream = (flags & FrameFlag.EndStream) !== 0;
    const counter = this.grpcStreams.get(streamId);
    if (endStream) this.grpcStreams.delete(streamId);
    const event: Http2Event = { kind: "data", streamId, endStream, wireBytes: FRAME_HEADER_LENGTH + length };
    if (counter !== undefined) event.grpc = { messages: counter.completed, inSync: counter.inSync };
    return event;
  }

  /** The decoder lost its place: header blocks may have gone unseen, message framing too. */
  loseContext(): void {
    this.hpack.loseContext();
    for (const counter of this.grpcStreams.values()) counter.inSync = false;
    this.block = undefined;
  }

  /**
   * A frame whose payload went partly uncaptured. A header block's loss leaves
   * the HPACK table unknown; the stream id and END_STREAM in the frame header
   * still say which stream it belonged to and whether it ended there.
   */
  lostFrame(header: FrameHeader): Http2Event | undefined {
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
  handleFrame(header: FrameHeader, payload: Buffer): Http2Event | undefined | string {
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
}
