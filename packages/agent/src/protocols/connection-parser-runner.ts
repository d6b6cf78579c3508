import type { StreamBuffer } from "../connections/stream-buffer.js";
import { ConnectionHealth, type RecoveryCounters } from "./connection-health.js";
import type { ConnectionProtocolParser } from "./message-decoder.js";
import { type ParserCounters, StreamDriver } from "./stream-driver.js";

/**
 * Drives a connection's protocol parser over its two streams and hands every
 * paired exchange to `onExchange`. Requests are drained before responses so a
 * response can always see the request it answers when both arrive in one batch.
 */
export class ConnectionParserRunner<Request, Response, Exchange> {
  private readonly requestDriver: StreamDriver<Request>;
  private readonly responseDriver: StreamDriver<Response>;
  /** Judges whether the bytes still make sense; only when the caller counts recoveries (the pipeline). */
  private readonly health: ConnectionHealth | undefined;

  constructor(
    readonly parser: ConnectionProtocolParser<Request, Response, Exchange>,
    counters: ParserCounters,
    private readonly onExchange: (exchange: Exchange) => void,
    recovery?: RecoveryCounters,
  ) {
    this.health = recovery === undefined ? undefined : new ConnectionHealth(recovery);
    this.requestDriver = new StreamDriver(
      parser.requests,
      counters,
      (message, timing) => {
        const exchange = parser.onRequest(message, timing);
        if (exchange !== undefined) onExchange(exchange);
        this.emitReady();
      },
      (firstByteNs) => parser.onRequestStart?.(firstByteNs),
      this.health,
    );
    this.responseDriver = new StreamDriver(
      parser.responses,
      counters,
      (message, timing) => {
        const exchange = parser.onResponse(message, timing);
        if (exchange !== undefined) onExchange(exchange);
        this.emitReady();
        // A response can unblock requests held back (a declined Upgrade): read them
        // before the next response, which may answer one of them.
        if (this.requestStream !== undefined) this.requestDriver.drain(this.requestStream);
      },
      undefined,
      this.health,
    );
  }

  private requestStream: StreamBuffer | undefined;

  private emitReady(): void {
    for (const exchange of this.parser.takeReadyExchanges?.() ?? []) this.onExchange(exchange);
  }

  /** True once the bytes stopped making sense for good (repeated parse failures): stop parsing. */
  get disabled(): boolean {
    return this.health?.disabled ?? false;
  }

  /** True once both directions left the protocol (upgrade, tunnel): stop buffering. */
  get finished(): boolean {
    return this.parser.requests.finished && this.parser.responses.finished;
  }

  drain(requestStream: StreamBuffer, responseStream: StreamBuffer): void {
    this.requestStream = requestStream;
    this.requestDriver.drain(requestStream);
    this.responseDriver.drain(responseStream);
    this.requestStream = undefined;
  }

  /** The connection closed: complete a close-delimited response. */
  end(requestStream: StreamBuffer, responseStream: StreamBuffer): void {
    this.drain(requestStream, responseStream);
    this.responseDriver.end();
    this.emitReady();
  }
}
