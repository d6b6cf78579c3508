import type { ConnectionProtocolParser, MessageTiming } from "../message-decoder.js";
import type { ParserOptions } from "../protocol-definition.js";
import type { HeaderField } from "./hpack/hpack-decoder.js";
import type { Http2Event } from "./http2-event.js";
import { Http2FrameDecoder } from "./http2-frame-decoder.js";

/** The header fields of one block, by name; repeated names joined as RFC 9110 §5.3 allows. */
export type HeaderMap = Map<string, string>;

/** One stream: a request, its response and trailers, as a record needs them. */
export interface Http2Exchange {
  streamId: number;
  requestHeaders: HeaderMap;
  /** The final (non-1xx) response header block; empty when none came. */
  responseHeaders: HeaderMap;
  /** Trailers after the response body; for a trailers-only response, the same block as responseHeaders. */
  responseTrailers: HeaderMap;
  requestBytes: number;
  responseBytes: number;
  /** gRPC messages sent each way; undefined for non-gRPC streams or when framing was lost. */
  requestMessages: number | undefined;
  responseMessages: number | undefined;
  /** First byte of the request's HEADERS frame, CLOCK_MONOTONIC ns. */
  startNs: bigint;
  /** Last byte of the frame that ended the stream. */
  endNs: bigint;
  /** Set when the stream ended with RST_STREAM, or was refused by a GOAWAY. */
  reset?: { errorCode: number; by: "client" | "server" | "goaway" };
  /** The request came from a PUSH_PROMISE. */
  pushed: boolean;
  /** The agent saw the connection from after its start. */
  joinedMidConnection: boolean;
  /** Some header fields could not be decoded (see HpackDecoder on lost context). */
  headersIncomplete: boolean;
  truncated: boolean;
}

interface StreamState {
  exchange: Http2Exchange;
  requestEnded: boolean;
  /** Response headers other than 1xx were seen: the next block is trailers. */
  responseStarted: boolean;
}

/** Streams followed at once; past it the oldest is dropped and counted. */
const MAX_OPEN_STREAMS = 1024;

/**
 * HTTP/2 on one connection: many streams at once, each paired by its stream
 * id (RFC 9113 §5). A stream becomes one exchange when the server ends it
 * (END_STREAM), or when either side resets it. Exchanges are queued because
 * one frame can end several streams (GOAWAY) and the runner takes one exchange
 * per message: the decoders hand the rest out as `flush` events.
 *
 * Joining mid-connection: the HPACK context is then incomplete, and header
 * fields that reference unseen dynamic-table entries are left out, never
 * guessed. Streams that start after the join become records with what is
 * known (stream id, sizes, durations, any field that decodes, grpc-status when
 * it does) and `http2.joined_mid_connection=true`; streams already open when
 * the agent joined are not reported.
 */
export class Http2Parser implements ConnectionProtocolParser<Http2Event, Http2Event, Http2Exchange> {
  readonly protocol = "http2";
  readonly requests: Http2FrameDecoder;
  readonly responses: Http2FrameDecoder;
  private readonly streams = new Map<number, StreamState>();
  private readonly completed: Http2Exchange[] = [];
  /** Streams dropped because too many were open, or left open when the connection ended. */
  droppedRequests = 0;

  constructor(options: ParserOptions = {}) {
    const hasPending = () => this.completed.length > 0;
    this.requests = new Http2FrameDecoder("client", hasPending, options.redactedHeaders);
    this.responses = new Http2FrameDecoder("server", hasPending, options.redactedHeaders);
  }

  /** Header blocks HPACK could not decode, both directions. */
  get malformedMessages(): number {
    return this.requests.hpackErrors + this.responses.hpackErrors;
  }

  get unansweredRequests(): number {
    return this.streams.size;
  }

  onRequest(event: Http2Event, timing: MessageTiming): Http2Exchange | undefined {
    switch (event.kind) {
      case "headers": {
        const state = this.streams.get(event.streamId);
        if (state === undefined) {
          // Client streams are odd (§5.1.1); an even one is a stray.
          if (event.streamId % 2 === 1) this.open(event, timing, false);
        } else {
          this.addBytes(state, "request", event.wireBytes, timing);
          // Request trailers: nothing in them is reported.
          if (event.endStream) state.requestEnded = true;
          this.noteHeaders(state, event);
        }
        break;
      }
      case "data": {
        const state = this.streams.get(event.streamId);
        if (state === undefined) break;
        this.addBytes(state, "request", event.wireBytes, timing);
        state.exchange.requestMessages = messageCount(state.exchange.requestMessages, event);
        if (event.endStream) state.requestEnded = true;
        break;
      }
      case "reset":
        this.resetStream(event.streamId, event.errorCode, "client", event.wireBytes, timing);
        break;
      case "settings":
        // The client's settings bound what the server's encoder and frames may use.
        if (event.headerTableSize !== undefined)
          this.responses.hpack.announceSettingsLimit(event.headerTableSize);
        if (event.maxFrameSize !== undefined) this.responses.announceMaxFrameSize(event.maxFrameSize);
        break;
      default:
        break;
    }
    return this.completed.shift();
  }

  takeReadyExchanges(): Http2Exchange[] {
    return this.completed.splice(0);
  }

  onResponse(event: Http2Event, timing: MessageTiming): Http2Exchange | undefined {
    switch (event.kind) {
      case "headers": {
        if (event.promisedStreamId !== undefined) {
          // §8.4: a pushed request, answered on the promised (even) stream.
          this.open({ ...event, streamId: event.promisedStreamId, endStream: true }, timing, true);
          break;
        }
        const state = this.streams.get(event.streamId);
        if (state === undefined) break;
        this.addBytes(state, "response", event.wireBytes, timing);
        this.noteHeaders(state, event);
        const headers = toHeaderMap(event.fields);
        if (!state.responseStarted) {
          const status = Number(headers.get(":status"));
          // §8.1: 1xx responses precede the final one; undecodable blocks count as final.
          if (status >= 100 && status < 200) break;
          state.responseStarted = true;
          state.exchange.responseHeaders = headers;
          // A trailers-only response (gRPC) carries its status in this block.
          if (event.endStream) state.exchange.responseTrailers = headers;
        } else {
          state.exchange.responseTrailers = headers;
        }
        if (event.endStream) this.complete(state);
        break;
      }
      case "data": {
        const state = this.streams.get(event.streamId);
        if (state === undefined) break;
        this.addBytes(state, "response", event.wireBytes, timing);
        state.exchange.responseMessages = messageCount(state.exchange.responseMessages, event);
        if (event.endStream) this.complete(state);
        break;
      }
      case "reset":
        this.resetStream(event.streamId, event.errorCode, "server", event.wireBytes, timing);
        break;
      case "goaway":
        // §6.8: client streams above the last one the server processed were never acted on.
        for (const [streamId, state] of this.streams) {
          if (streamId % 2 === 1 && streamId > event.lastStreamId) {
            state.exchange.reset = { errorCode: event.errorCode, by: "goaway" };
            state.exchange.endNs = timing.lastByteNs;
            this.complete(state);
          }
        }
        break;
      case "settings":
        if (event.headerTableSize !== undefined)
          this.requests.hpack.announceSettingsLimit(event.headerTableSize);
        if (event.maxFrameSize !== undefined) this.requests.announceMaxFrameSize(event.maxFrameSize);
        break;
      default:
        break;
    }
    return this.completed.shift();
  }

  private open(event: Http2Event & { kind: "headers" }, timing: MessageTiming, pushed: boolean): void {
    if (this.streams.size >= MAX_OPEN_STREAMS) {
      const oldest = this.streams.keys().next().value;
      if (oldest !== undefined) this.streams.delete(oldest);
      this.droppedRequests++;
    }
    const requestHeaders = toHeaderMap(event.fields);
    const grpc = requestHeaders.get("content-type")?.startsWith("application/grpc") === true;
    const state: StreamState = {
      exchange: {
        streamId: event.streamId,
        requestHeaders,
        responseHeaders: new Map(),
        responseTrailers: new Map(),
        requestBytes: pushed ? 0 : event.wireBytes,
        responseBytes: pushed ? event.wireBytes : 0,
        requestMessages: grpc ? 0 : undefined,
        responseMessages: grpc ? 0 : undefined,
        startNs: timing.firstByteNs,
        endNs: timing.lastByteNs,
        pushed,
        joinedMidConnection: this.requests.joinedMidConnection || this.responses.joinedMidConnection,
        headersIncomplete: !event.decoded || event.unknownFields > 0,
        truncated: timing.truncated,
      },
      requestEnded: event.endStream,
      responseStarted: false,
    };
    this.streams.set(event.streamId, state);
  }

  private noteHeaders(state: StreamState, event: Http2Event & { kind: "headers" }): void {
    if (!event.decoded || event.unknownFields > 0) state.exchange.headersIncomplete = true;
  }

  private addBytes(
    state: StreamState,
    direction: "request" | "response",
    wireBytes: number,
    timing: MessageTiming,
  ): void {
    if (direction === "request") state.exchange.requestBytes += wireBytes;
    else state.exchange.responseBytes += wireBytes;
    if (timing.lastByteNs > state.exchange.endNs) state.exchange.endNs = timing.lastByteNs;
    if (timing.truncated) state.exchange.truncated = true;
  }

  private resetStream(
    streamId: number,
    errorCode: number,
    by: "client" | "server",
    wireBytes: number,
    timing: MessageTiming,
  ): void {
    const state = this.streams.get(streamId);
    if (state === undefined) return;
    this.addBytes(state, by === "client" ? "request" : "response", wireBytes, timing);
    state.exchange.reset = { errorCode, by };
    this.complete(state);
  }

  private complete(state: StreamState): void {
    this.streams.delete(state.exchange.streamId);
    this.completed.push(state.exchange);
  }
}

function messageCount(current: number | undefined, event: Http2Event & { kind: "data" }): number | undefined {
  if (current === undefined || event.grpc === undefined) return current;
  return event.grpc.inSync ? event.grpc.messages : undefined;
}

function toHeaderMap(fields: readonly HeaderField[]): HeaderMap {
  const map: HeaderMap = new Map();
  for (const { name, value } of fields) {
    const previous = map.get(name);
    // Cookie crumbs are joined with "; " (RFC 9113 §8.2.3), other repeats with ", ".
    map.set(name, previous === undefined ? value : `${previous}${name === "cookie" ? "; " : ", "}${value}`);
  }
  return map;
}
