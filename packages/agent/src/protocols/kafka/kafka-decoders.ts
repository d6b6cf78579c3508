import type { BufferReader } from "../buffer-reader.js";
import { LargeMessageSkip } from "../large-message-skip.js";
import type { MessageDecoder } from "../message-decoder.js";
import { invalid, needsMoreData, ok, type ParseResult } from "../parse-result.js";
import { decodeRequest, type KafkaRequest } from "./kafka-request.js";
import type { KafkaResponse } from "./kafka-response.js";
import { MAX_FRAME_BYTES, MAX_KNOWN_API_KEY, MAX_KNOWN_API_VERSION } from "./kafka-wire.js";

/**
 * Bytes of a message decoded at most: headers, topic names and error codes sit
 * in front of the record batches, which are streamed past unbuffered.
 */
const DECODED_PREFIX = 16 * 1024;

/**
 * Kafka framing, both directions: int32 size, then that many bytes (protocol
 * guide, "Common Request and Response Structure"). `decodeFrame` turns a
 * frame's first bytes into a message; the rest of a large frame is skipped.
 */
abstract class KafkaFrameDecoder<Message> implements MessageDecoder<Message> {
  readonly finished = false;
  abstract readonly boundaryLookback: number;
  private readonly tail = new LargeMessageSkip<Message>();

  get midMessage(): boolean {
    return this.tail.active;
  }

  protected abstract decodeFrame(prefix: Buffer, size: number, partial: boolean): Message | string;
  protected abstract plausibleFrameAt(bytes: Buffer, at: number): boolean;

  decode(reader: BufferReader): ParseResult<Message> {
    if (this.tail.active) return this.tail.continue(reader);
    if (reader.remaining < 4) return needsMoreData;
    const start = reader.position;
    const size = reader.readBytes(4).readInt32BE(0);
    // Invalid frames rewind to their start: the driver resyncs from the byte after it.
    if (size < 4 || size > MAX_FRAME_BYTES) {
      reader.rewind(start);
      return invalid("Kafka frame size out of range");
    }
    const partial = size > DECODED_PREFIX;
    const wanted = partial ? DECODED_PREFIX : size;
    if (reader.remaining < wanted) {
      reader.rewind(start);
      return needsMoreData;
    }
    const message = this.decodeFrame(reader.readBytes(wanted), size, partial);
    if (typeof message === "string") {
      reader.rewind(start);
      return invalid(message);
    }
    if (!partial) return ok(message);
    this.tail.start(message, size - wanted);
    return this.tail.continue(reader);
  }

  absorbGap(length: number): boolean {
    return this.tail.absorbGap(length);
  }

  cutAtGap(): Message | undefined {
    return this.tail.cutAtGap();
  }

  endOfStream(): Message | undefined {
    return undefined;
  }

  findFrameBoundary(bytes: Buffer, from: number): number {
    for (let index = from; index + this.boundaryLookback <= bytes.length; index++)
      if (this.plausibleFrameAt(bytes, index)) return index;
    return -1;
  }

  reset(): void {
    this.tail.clear();
  }
}

export class KafkaRequestDecoder extends KafkaFrameDecoder<KafkaRequest> {
  /** size, api_key, api_version, correlation_id, client_id length. */
  readonly boundaryLookback = 14;

  protected decodeFrame(prefix: Buffer, size: number, partial: boolean): KafkaRequest | string {
    return decodeRequest(prefix, size, partial);
  }

  protected plausibleFrameAt(bytes: Buffer, at: number): boolean {
    const size = bytes.readInt32BE(at);
    const apiKey = bytes.readInt16BE(at + 4);
    const apiVersion = bytes.readInt16BE(at + 6);
    const clientIdLength = bytes.readInt16BE(at + 12);
    return (
      size >= 10 &&
      size <= MAX_FRAME_BYTES &&
      apiKey >= 0 &&
      apiKey <= MAX_KNOWN_API_KEY &&
      apiVersion >= 0 &&
      apiVersion <= MAX_KNOWN_API_VERSION &&
      clientIdLength >= -1 &&
      clientIdLength <= size - 10
    );
  }
}

/** Responses carry no API key: they are read once paired with their request. */
export class KafkaResponseDecoder extends KafkaFrameDecoder<KafkaResponse> {
  /** size, correlation_id. */
  readonly boundaryLookback = 8;

  constructor(private readonly isAwaited: (correlationId: number) => boolean) {
    super();
  }

  protected decodeFrame(prefix: Buffer, size: number): KafkaResponse {
    // Copied: the stream's bytes are reused, and only this bounded prefix is kept.
    return {
      correlationId: prefix.readInt32BE(0),
      body: Buffer.from(prefix.subarray(4)),
      wireBytes: 4 + size,
    };
  }

  /** A sane size followed by the correlation id of a request still waiting. */
  protected plausibleFrameAt(bytes: Buffer, at: number): boolean {
    const size = bytes.readInt32BE(at);
    return size >= 4 && size <= MAX_FRAME_BYTES && this.isAwaited(bytes.readInt32BE(at + 4));
  }
}
