import type { ConnectionProtocolParser, MessageTiming } from "../message-decoder.js";
import {
  HttpRequestDecoder,
  type HttpRequestMessage,
  HttpResponseDecoder,
  type HttpResponseMessage,
} from "./http1-decoders.js";

/** One request paired with its response, with when each was seen. */
export interface HttpExchange {
  request: HttpRequestMessage;
  response: HttpResponseMessage;
  /** First request byte, CLOCK_MONOTONIC ns. */
  startNs: bigint;
  /** Last response byte, CLOCK_MONOTONIC ns. */
  endNs: bigint;
  truncated: boolean;
}

interface PendingRequest {
  message: HttpRequestMessage;
  timing: MessageTiming;
}

/** Requests a client may pipeline before we stop waiting for their answers. */
const MAX_PENDING_REQUESTS = 64;

/**
 * HTTP/1.0 and 1.1 on one connection. Responses arrive in request order
 * (RFC 9112 §9.3.2), so pipelined requests are paired first in, first out.
 */
export class Http1Parser
  implements ConnectionProtocolParser<HttpRequestMessage, HttpResponseMessage, HttpExchange>
{
  readonly protocol = "http";
  readonly requests = new HttpRequestDecoder();
  readonly responses = new HttpResponseDecoder(() => this.methodOfNextAnsweredRequest());
  private readonly pending: PendingRequest[] = [];
  /** The request still streaming its body was already answered (e.g. 413 before the body ended). */
  private answeredEarly = false;
  private inProgressFirstByteNs = 0n;
  /** Requests pushed out of a full queue, or dropped at close without an answer. */
  droppedRequests = 0;

  get unansweredRequests(): number {
    return this.pending.length + (this.requests.requestInProgress === undefined ? 0 : 1);
  }

  onRequest(message: HttpRequestMessage, timing: MessageTiming): void {
    if (this.answeredEarly) {
      this.answeredEarly = false;
      return;
    }
    if (this.pending.length >= MAX_PENDING_REQUESTS) {
      this.pending.shift();
      this.droppedRequests++;
    }
    this.pending.push({ message, timing });
  }

  onResponse(message: HttpResponseMessage, timing: MessageTiming): HttpExchange | undefined {
    const switched = this.responses.finished;
    const request = this.pending.shift() ?? this.takeRequestInProgress();
    if (request !== undefined && !switched && this.pending.length === 0)
      this.requests.protocolSwitched(false);
    if (switched) this.requests.protocolSwitched(true);
    if (request === undefined) return undefined;
    return {
      request: request.message,
      response: message,
      startNs: request.timing.firstByteNs,
      endNs: timing.lastByteNs,
      truncated: request.timing.truncated || timing.truncated,
    };
  }

  onRequestStart(firstByteNs: bigint): void {
    this.inProgressFirstByteNs = firstByteNs;
  }

  private takeRequestInProgress(): PendingRequest | undefined {
    const head = this.requests.requestInProgress;
    if (head === undefined || this.answeredEarly) return undefined;
    this.answeredEarly = true;
    return {
      message: { head, wireBytes: head.headBytes },
      timing: {
        firstByteNs: this.inProgressFirstByteNs,
        lastByteNs: this.inProgressFirstByteNs,
        truncated: true,
      },
    };
  }

  private methodOfNextAnsweredRequest(): string | undefined {
    return this.pending[0]?.message.head.method ?? this.requests.requestInProgress?.method;
  }
}
