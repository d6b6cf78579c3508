import type { BufferReader } from "./buffer-reader.js";
import type { ParseResult } from "./parse-result.js";

/**
 * The contract every protocol implements for one direction of a connection.
 *
 * Decoders are incremental: bodies are consumed as they stream past (and never
 * buffered), so a decoder may advance the reader and still answer
 * `needs-more-data`. Only the bytes of an incomplete frame header stay unread.
 */
export interface MessageDecoder<Message> {
  /** Decode from the reader; `ok` means one message ended at the reader's position. */
  decode(reader: BufferReader): ParseResult<Message>;
  /**
   * `length` bytes were not captured. Returns true when the decoder could step
   * over them (they fall inside a body of known extent); false means the
   * decoder lost its place and the caller must reset it and resync.
   */
  absorbGap(length: number): boolean;
  /**
   * A gap could not be absorbed but a message's head was already read: the
   * gap holds the rest of it (a chunked body's framing went uncaptured). The
   * message is returned, counting the gap as its own; the caller then resyncs.
   */
  cutAtGap(length: number): Message | undefined;
  /** The peer closed the stream: a message delimited by close ends here. */
  endOfStream(): Message | undefined;
  /** Index of the next plausible message start in `bytes` at or after `from`, or -1. */
  findFrameBoundary(bytes: Buffer, from: number): number;
  /** Bytes a frame start can span, kept when no boundary is found so a split one is not lost. */
  readonly boundaryLookback: number;
  /** True between the first byte of a message and its end. */
  readonly midMessage: boolean;
  /** True once the connection left this protocol (an upgrade, a tunnel): ignore the rest. */
  readonly finished: boolean;
  reset(): void;
}

/** When a message's bytes were seen, in CLOCK_MONOTONIC ns, and whether some were missing. */
export interface MessageTiming {
  readonly firstByteNs: bigint;
  readonly lastByteNs: bigint;
  readonly truncated: boolean;
}

/** An exchange's extent: from its first message's first byte to its last message's last byte. */
export function exchangeSpan(start: MessageTiming, end: MessageTiming) {
  return { startNs: start.firstByteNs, endNs: end.lastByteNs, truncated: start.truncated || end.truncated };
}

/**
 * Pairs the messages of both directions of one connection into exchanges.
 * `requests`/`responses` are the decoders for the request and response streams.
 */
export interface ConnectionProtocolParser<Request, Response, Exchange> {
  readonly protocol: string;
  readonly requests: MessageDecoder<Request>;
  readonly responses: MessageDecoder<Response>;
  /** A request's first byte was seen (it may be answered before it ends). */
  onRequestStart?(firstByteNs: bigint): void;
  /**
   * Returns the exchange a request completes by itself: one nobody answers (an
   * MQTT QoS 0 publish, a NATS PUB outside verbose mode) or the client's answer
   * to a message the server started (an MQTT PUBACK for a broker's PUBLISH).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: parsers whose requests never complete an exchange (HTTP/1) return nothing.
  onRequest(message: Request, timing: MessageTiming): Exchange | undefined | void;
  /** Returns the completed exchange, or undefined when the response matched no request. */
  onResponse(message: Response, timing: MessageTiming): Exchange | undefined;
  /**
   * Exchanges completed together beyond the one a call returned (one ack that
   * confirms many publishes, a GOAWAY that ends many streams). The runner takes
   * them after every message and when the connection ends.
   */
  takeReadyExchanges?(): Exchange[];
  /** Requests that were still waiting for an answer when the connection ended. */
  readonly unansweredRequests: number;
  /** Requests given up on before the end (a full pipelining queue). */
  readonly droppedRequests?: number;
  /**
   * Messages that framed correctly but whose content could not be decoded (an
   * HPACK header block), so far; the pipeline counts them as parse errors.
   */
  readonly malformedMessages?: number;
}
