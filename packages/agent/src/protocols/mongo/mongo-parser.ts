import { type ConnectionProtocolParser, exchangeSpan, type MessageTiming } from "../message-decoder.js";
import { MongoDecoder } from "./mongo-decoder.js";
import type { MongoMessage } from "./mongo-message.js";

export interface MongoExchange {
  request: MongoMessage;
  /** Undefined for a request sent with moreToCome: nobody answers it. */
  response: MongoMessage | undefined;
  startNs: bigint;
  endNs: bigint;
  truncated: boolean;
}

interface Pending {
  message: MongoMessage;
  timing: MessageTiming;
}

const MAX_PENDING = 1024;

/**
 * Pairs replies with requests by responseTo = requestID (wire protocol
 * "Standard Message Header"): drivers pool connections but may pipeline, and
 * an exhaust cursor's replies answer the previous reply's requestID.
 */
export class MongoParser implements ConnectionProtocolParser<MongoMessage, MongoMessage, MongoExchange> {
  readonly protocol = "mongo";
  readonly requests = new MongoDecoder();
  readonly responses = new MongoDecoder();
  private readonly pending = new Map<number, Pending>();
  private readonly ready: MongoExchange[] = [];
  droppedRequests = 0;

  get unansweredRequests(): number {
    return this.pending.size;
  }

  onRequest(message: MongoMessage, timing: MessageTiming): void {
    if (message.moreToCome) {
      this.push({ request: message, response: undefined, ...exchangeSpan(timing, timing) });
      return;
    }
    if (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.keys().next().value;
      if (oldest !== undefined) this.pending.delete(oldest);
      this.droppedRequests++;
    }
    this.pending.set(message.requestId, { message, timing });
  }

  onResponse(message: MongoMessage, timing: MessageTiming): MongoExchange | undefined {
    const request = this.pending.get(message.responseTo);
    if (request !== undefined) {
      this.pending.delete(message.responseTo);
      // Exhaust: the next reply answers this one.
      if (message.moreToCome) this.pending.set(message.requestId, { message: request.message, timing });
      this.push({ request: request.message, response: message, ...exchangeSpan(request.timing, timing) });
    }
    return this.ready.shift();
  }

  takeReadyExchanges(): MongoExchange[] {
    return this.ready.splice(0);
  }

  private push(exchange: MongoExchange): void {
    if (this.ready.length >= MAX_PENDING) {
      this.ready.shift();
      this.droppedRequests++;
    }
    this.ready.push(exchange);
  }
}
