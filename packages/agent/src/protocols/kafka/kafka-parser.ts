import { type ConnectionProtocolParser, exchangeSpan, type MessageTiming } from "../message-decoder.js";
import { KafkaRequestDecoder, KafkaResponseDecoder } from "./kafka-decoders.js";
import type { KafkaRequest } from "./kafka-request.js";
import { type KafkaResponse, responseErrorCode } from "./kafka-response.js";
import { ApiKey } from "./kafka-wire.js";

export interface KafkaExchange {
  request: KafkaRequest;
  /** Undefined for a Produce with acks=0: the broker never answers it. */
  response: KafkaResponse | undefined;
  errorCode: number;
  startNs: bigint;
  endNs: bigint;
  truncated: boolean;
}

interface Pending {
  request: KafkaRequest;
  timing: MessageTiming;
}

const MAX_PENDING = 1024;

/**
 * Pairs responses with requests by correlation id. A broker answers a
 * connection's requests in order (protocol guide, "the server guarantees that
 * on a single TCP connection, requests will be processed in the order they are
 * sent"), but pairing by id also survives a response we failed to read.
 */
export class KafkaParser implements ConnectionProtocolParser<KafkaRequest, KafkaResponse, KafkaExchange> {
  readonly protocol = "kafka";
  private readonly pending = new Map<number, Pending>();
  readonly requests = new KafkaRequestDecoder();
  readonly responses = new KafkaResponseDecoder((correlationId) => this.pending.has(correlationId));
  private readonly ready: KafkaExchange[] = [];
  droppedRequests = 0;

  get unansweredRequests(): number {
    return this.pending.size;
  }

  onRequest(request: KafkaRequest, timing: MessageTiming): void {
    if (request.apiKey === ApiKey.Produce && request.acks === 0) {
      this.push({ request, response: undefined, errorCode: 0, ...exchangeSpan(timing, timing) });
      return;
    }
    if (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.keys().next().value;
      if (oldest !== undefined) this.pending.delete(oldest);
      this.droppedRequests++;
    }
    this.pending.set(request.correlationId, { request, timing });
  }

  onResponse(response: KafkaResponse, timing: MessageTiming): KafkaExchange | undefined {
    const pending = this.pending.get(response.correlationId);
    if (pending !== undefined) {
      this.pending.delete(response.correlationId);
      const errorCode = responseErrorCode(pending.request, response);
      this.push({ request: pending.request, response, errorCode, ...exchangeSpan(pending.timing, timing) });
    }
    return this.ready.shift();
  }

  takeReadyExchanges(): KafkaExchange[] {
    return this.ready.splice(0);
  }

  private push(exchange: KafkaExchange): void {
    if (this.ready.length >= MAX_PENDING) {
      this.ready.shift();
      this.droppedRequests++;
    }
    this.ready.push(exchange);
  }
}
