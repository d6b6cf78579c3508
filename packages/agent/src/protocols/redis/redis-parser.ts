import type { ConnectionProtocolParser, MessageTiming } from "../message-decoder.js";
import {
  type CommandSummary,
  keepMoreArguments,
  PUBSUB_MESSAGES,
  SUBSCRIPTION_REPLIES,
  summarizeCommand,
} from "./redis-commands.js";
import { RespDecoder, type RespMessage } from "./resp-decoder.js";
import { RespType } from "./resp-syntax.js";

/** One command paired with its reply. */
export interface RedisExchange {
  command: CommandSummary;
  reply: RespMessage;
  requestBytes: number;
  /** First command byte, CLOCK_MONOTONIC ns. */
  startNs: bigint;
  /** Last reply byte, CLOCK_MONOTONIC ns. */
  endNs: bigint;
  truncated: boolean;
}

interface PendingCommand {
  command: CommandSummary;
  message: RespMessage;
  timing: MessageTiming;
  /** Confirmations a (un)subscribe command still expects; undefined: until the count reaches 0. */
  confirmationsLeft?: number | undefined;
  answered?: boolean;
}

/**
 * Commands a client may pipeline before we stop waiting for their answers.
 * Client libraries pipeline thousands (ioredis' auto-pipelining); only summaries are kept.
 */
const MAX_PENDING_COMMANDS = 4096;

/**
 * Redis pairs replies with commands strictly in order on a connection
 * (redis.io "Redis pipelining"), so pipelined commands are paired first in,
 * first out. Out-of-band data is kept out of that queue: RESP3 push values
 * (RESP3.md "Push type") and, on a RESP2 connection in subscribed mode, the
 * "message"/"pmessage"/"smessage" arrays (redis.io "Redis Pub/Sub", "Format of pushed messages").
 * A (P|S)(UN)SUBSCRIBE is answered by one confirmation per channel: the first
 * completes its record, the others are absorbed so later replies stay paired.
 */
export class RedisParser implements ConnectionProtocolParser<RespMessage, RespMessage, RedisExchange> {
  readonly protocol = "redis";
  readonly requests = new RespDecoder(true, keepMoreArguments);
  readonly responses = new RespDecoder(false);
  private readonly pending: PendingCommand[] = [];
  private subscribed = false;
  droppedRequests = 0;

  get unansweredRequests(): number {
    return this.pending.filter((command) => !command.answered).length;
  }

  onRequest(message: RespMessage, timing: MessageTiming): undefined {
    const command = summarizeCommand(message.elements);
    const entry: PendingCommand = { command, message, timing };
    const name = command.operation.toLowerCase();
    if (SUBSCRIPTION_REPLIES.has(name)) {
      this.subscribed = true;
      // Without channels, UNSUBSCRIBE confirms every current subscription (or one nil).
      entry.confirmationsLeft = message.length > 1 ? message.length - 1 : undefined;
    }
    if (this.pending.length >= MAX_PENDING_COMMANDS) {
      this.pending.shift();
      this.droppedRequests++;
    }
    this.pending.push(entry);
    return undefined;
  }

  onResponse(reply: RespMessage, timing: MessageTiming): RedisExchange | undefined {
    const kind = reply.elements[0]?.toLowerCase() ?? "";
    const outOfBand =
      reply.type === RespType.Push || (this.subscribed && reply.type === RespType.Array && reply.length >= 3);
    if (outOfBand && SUBSCRIPTION_REPLIES.has(kind)) return this.confirmation(kind, reply, timing);
    if (reply.type === RespType.Push || (outOfBand && PUBSUB_MESSAGES.has(kind))) return undefined;
    // A subscribe answered by fewer confirmations than expected no longer waits.
    let head = this.pending.shift();
    while (head?.answered) head = this.pending.shift();
    return head === undefined ? undefined : this.exchange(head, reply, timing);
  }

  private confirmation(kind: string, reply: RespMessage, timing: MessageTiming): RedisExchange | undefined {
    const head = this.pending[0];
    if (head === undefined || head.command.operation.toLowerCase() !== kind) return undefined;
    const first = head.answered !== true;
    head.answered = true;
    if (head.confirmationsLeft !== undefined) head.confirmationsLeft--;
    const done =
      head.confirmationsLeft === undefined ? reply.elements[2] === "0" : head.confirmationsLeft <= 0;
    if (done) this.pending.shift();
    return first ? this.exchange(head, reply, timing) : undefined;
  }

  private exchange(head: PendingCommand, reply: RespMessage, timing: MessageTiming): RedisExchange {
    return {
      command: head.command,
      reply,
      requestBytes: head.message.wireBytes,
      startNs: head.timing.firstByteNs,
      endNs: timing.lastByteNs,
      truncated: head.timing.truncated || timing.truncated,
    };
  }
}
