import type { ConnectionProtocolParser, MessageTiming } from "../message-decoder.js";
import { DnsDecoder } from "./dns-decoders.js";
import type { DnsMessage } from "./dns-message.js";

export interface DnsExchange {
  query: DnsMessage;
  response: DnsMessage;
  transport: "udp" | "tcp";
  startNs: bigint;
  endNs: bigint;
  truncated: boolean;
}

interface PendingQuery {
  message: DnsMessage;
  timing: MessageTiming;
}

/** Outstanding queries per connection; a resolver retrying into silence must not grow memory. */
const MAX_PENDING_QUERIES = 256;

/**
 * Pairs queries with responses by transaction ID (RFC 1035 §4.1.1): answers may
 * come back in any order (a stub resolver asks for A and AAAA at once, and over
 * TCP RFC 7766 §6.2.1.1 allows out-of-order replies).
 */
export class DnsParser implements ConnectionProtocolParser<DnsMessage, DnsMessage, DnsExchange> {
  readonly protocol = "dns";
  readonly requests = new DnsDecoder();
  readonly responses = new DnsDecoder();
  private readonly pending = new Map<number, PendingQuery[]>();
  private pendingCount = 0;
  droppedRequests = 0;

  get unansweredRequests(): number {
    return this.pendingCount;
  }

  onRequest(message: DnsMessage, timing: MessageTiming): void {
    // A response on the request stream (the observed process is answering
    // queries it also sends? never seen) is not a query: leave it.
    if (message.response) return;
    if (this.pendingCount >= MAX_PENDING_QUERIES) this.dropOldest();
    const queue = this.pending.get(message.id) ?? [];
    queue.push({ message, timing });
    this.pending.set(message.id, queue);
    this.pendingCount++;
  }

  onResponse(message: DnsMessage, timing: MessageTiming): DnsExchange | undefined {
    if (!message.response) return undefined;
    const queue = this.pending.get(message.id);
    const query = queue?.shift();
    if (queue?.length === 0) this.pending.delete(message.id);
    if (query === undefined) return undefined;
    this.pendingCount--;
    return {
      query: query.message,
      response: message,
      transport: this.responses.transport ?? "udp",
      startNs: query.timing.firstByteNs,
      endNs: timing.lastByteNs,
      truncated: query.timing.truncated || timing.truncated,
    };
  }

  /** Every exchange completes in onResponse. */
  takeReadyExchanges(): DnsExchange[] {
    return [];
  }

  private dropOldest(): void {
    const [oldestId, queue] = this.pending.entries().next().value ?? [];
    if (oldestId === undefined || queue === undefined) return;
    queue.shift();
    if (queue.length === 0) this.pending.delete(oldestId);
    this.pendingCount--;
    this.droppedRequests++;
  }
}
