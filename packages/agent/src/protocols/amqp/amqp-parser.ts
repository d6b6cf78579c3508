import { type ConnectionProtocolParser, exchangeSpan, type MessageTiming } from "../message-decoder.js";
import { type AmqpCommand, AmqpDecoder } from "./amqp-decoders.js";

/** One record's worth of AMQP: a command, and the reply that settled it if any. */
export interface AmqpExchange {
  command: AmqpCommand;
  reply: AmqpCommand | undefined;
  /** Whose command it is: the client's (publish, declare) or the broker's (deliver, return). */
  from: "client" | "server";
  /** A consumer's basic.ack / nack / reject: the deliveries it settles (the last one names the target). */
  settles?: { lastDelivery: AmqpCommand | undefined; count: number };
  startNs: bigint;
  endNs: bigint;
  truncated: boolean;
}

interface Sent {
  command: AmqpCommand;
  timing: MessageTiming;
}

/** Client methods answered by the broker with the method named here (amqp0-9-1.xml "response"). */
const REPLIES: Readonly<Record<string, readonly string[]>> = {
  "connection.open": ["connection.open-ok"],
  "connection.close": ["connection.close-ok"],
  "channel.open": ["channel.open-ok"],
  "channel.flow": ["channel.flow-ok"],
  "channel.close": ["channel.close-ok"],
  "exchange.declare": ["exchange.declare-ok"],
  "exchange.delete": ["exchange.delete-ok"],
  "exchange.bind": ["exchange.bind-ok"],
  "exchange.unbind": ["exchange.unbind-ok"],
  "queue.declare": ["queue.declare-ok"],
  "queue.bind": ["queue.bind-ok"],
  "queue.purge": ["queue.purge-ok"],
  "queue.delete": ["queue.delete-ok"],
  "queue.unbind": ["queue.unbind-ok"],
  "basic.qos": ["basic.qos-ok"],
  "basic.consume": ["basic.consume-ok"],
  "basic.cancel": ["basic.cancel-ok"],
  "basic.get": ["basic.get-ok", "basic.get-empty"],
  "basic.recover": ["basic.recover-ok"],
  "confirm.select": ["confirm.select-ok"],
  "tx.select": ["tx.select-ok"],
  "tx.commit": ["tx.commit-ok"],
  "tx.rollback": ["tx.rollback-ok"],
};

/** Commands awaiting an answer per connection, and records waiting to be handed out. */
const MAX_WAITING = 1024;

/**
 * Turns an AMQP connection's commands into records. Synchronous client
 * methods pair with their -ok on the same channel, or with the broker's
 * channel.close / connection.close that refused them (a soft or hard error,
 * §1.9 reply codes). basic.publish is a record of its own — unless the
 * channel is in confirm mode, where the broker's basic.ack / basic.nack
 * settles it by publish sequence number (RabbitMQ Publisher Confirms: the
 * n-th publish after confirm.select has delivery tag n; `multiple` settles all
 * up to it). basic.deliver and basic.return are the broker's own records;
 * a consumer's basic.ack / nack / reject is the client's, named after the
 * delivery it settles (by delivery tag on its channel).
 * connection.start pairs with the client's start-ok (the handshake), whose
 * credentials the decoder never keeps.
 */
export class AmqpParser implements ConnectionProtocolParser<AmqpCommand, AmqpCommand, AmqpExchange> {
  readonly protocol = "amqp";
  readonly requests = new AmqpDecoder();
  readonly responses = new AmqpDecoder();
  private readonly waiting = new Map<number, Sent[]>();
  /** Per channel in confirm mode: publishes not yet acked, and the last sequence number used. */
  private readonly confirms = new Map<number, { next: bigint; unsettled: Map<bigint, Sent> }>();
  /**
   * Per channel: deliveries not yet settled by the consumer, by delivery tag. Only
   * context for naming an ack's target, so the oldest is forgotten when full (a
   * no-ack consumer never settles any) and nothing is lost but that name.
   */
  private readonly deliveries = new Map<number, Map<bigint, AmqpCommand>>();
  private connectionStart: Sent | undefined;
  private readonly ready: AmqpExchange[] = [];
  droppedRequests = 0;

  get unansweredRequests(): number {
    let count = 0;
    for (const queue of this.waiting.values()) count += queue.length;
    for (const channel of this.confirms.values()) count += channel.unsettled.size;
    return count;
  }

  onRequest(command: AmqpCommand, timing: MessageTiming): void {
    const sent = { command, timing };
    if (command.name === "connection.start-ok" && this.connectionStart !== undefined) {
      this.settle(this.connectionStart, command, timing, "server");
      this.connectionStart = undefined;
      return;
    }
    if (command.name === "basic.publish") {
      const confirm = this.confirms.get(command.channel);
      if (confirm === undefined) {
        this.push({ command, reply: undefined, from: "client", ...exchangeSpan(timing, timing) });
        return;
      }
      confirm.next++;
      if (confirm.unsettled.size >= MAX_WAITING) this.droppedRequests++;
      else confirm.unsettled.set(confirm.next, sent);
      return;
    }
    if (command.name === "basic.ack" || command.name === "basic.nack" || command.name === "basic.reject") {
      this.push({
        command,
        reply: undefined,
        from: "client",
        settles: this.settleDeliveries(command),
        ...exchangeSpan(timing, timing),
      });
      return;
    }
    if (command.name === "confirm.select")
      this.confirms.set(command.channel, { next: 0n, unsettled: new Map() });
    if (command.name === "channel.close" || command.name === "connection.close") this.forgetChannel(command);
    if (REPLIES[command.name] === undefined || command.fields.noWait === true) return;
    const queue = this.waiting.get(command.channel) ?? [];
    if (queue.length >= MAX_WAITING) {
      queue.shift();
      this.droppedRequests++;
    }
    queue.push(sent);
    this.waiting.set(command.channel, queue);
  }

  onResponse(command: AmqpCommand, timing: MessageTiming): AmqpExchange | undefined {
    switch (command.name) {
      case "connection.start":
        this.connectionStart = { command, timing };
        break;
      case "basic.deliver":
        this.rememberDelivery(command);
        this.push({ command, reply: undefined, from: "server", ...exchangeSpan(timing, timing) });
        break;
      case "basic.return":
        this.push({ command, reply: undefined, from: "server", ...exchangeSpan(timing, timing) });
        break;
      case "basic.ack":
      case "basic.nack":
        this.settlePublishes(command, timing);
        break;
      case "channel.close":
      case "connection.close": {
        // The broker refused something: the oldest command still waiting on the channel.
        const refused = this.waiting.get(command.channel)?.shift();
        if (refused !== undefined) this.settle(refused, command, timing, "client");
        else this.push({ command, reply: undefined, from: "server", ...exchangeSpan(timing, timing) });
        this.forgetChannel(command);
        break;
      }
      default: {
        const queue = this.waiting.get(command.channel);
        const answered = queue?.[0];
        if (answered !== undefined && REPLIES[answered.command.name]?.includes(command.name)) {
          queue?.shift();
          this.settle(answered, command, timing, "client");
        }
      }
    }
    return this.ready.shift();
  }

  /** Records completed outside onResponse's single return (a publish, acks of several). */
  takeReadyExchanges(): AmqpExchange[] {
    return this.ready.splice(0);
  }

  private settlePublishes(ack: AmqpCommand, timing: MessageTiming): void {
    const confirm = this.confirms.get(ack.channel);
    const tag = ack.fields.deliveryTag ?? 0n;
    if (confirm === undefined) return;
    const settled = ack.fields.multiple
      ? [...confirm.unsettled.keys()].filter((sequence) => sequence <= tag)
      : [tag];
    for (const sequence of settled) {
      const publish = confirm.unsettled.get(sequence);
      if (publish === undefined) continue;
      confirm.unsettled.delete(sequence);
      this.settle(publish, ack, timing, "client");
    }
  }

  private rememberDelivery(deliver: AmqpCommand): void {
    const tag = deliver.fields.deliveryTag;
    if (tag === undefined) return;
    const unsettled = this.deliveries.get(deliver.channel) ?? new Map<bigint, AmqpCommand>();
    if (unsettled.size >= MAX_WAITING) {
      const oldest = unsettled.keys().next().value;
      if (oldest !== undefined) unsettled.delete(oldest);
    }
    unsettled.set(tag, deliver);
    this.deliveries.set(deliver.channel, unsettled);
  }

  /** AMQP 0-9-1 basic.ack: `multiple` settles every tag up to this one; tag 0 with it, all of them. */
  private settleDeliveries(ack: AmqpCommand): { lastDelivery: AmqpCommand | undefined; count: number } {
    const unsettled = this.deliveries.get(ack.channel);
    const tag = ack.fields.deliveryTag ?? 0n;
    if (unsettled === undefined) return { lastDelivery: undefined, count: 0 };
    const settled = ack.fields.multiple
      ? [...unsettled.keys()].filter((sequence) => tag === 0n || sequence <= tag)
      : [tag];
    let lastDelivery: AmqpCommand | undefined;
    let count = 0;
    for (const sequence of settled) {
      const delivery = unsettled.get(sequence);
      if (delivery === undefined) continue;
      unsettled.delete(sequence);
      lastDelivery = delivery;
      count++;
    }
    return { lastDelivery, count };
  }

  /** A closed channel answers nothing more; channel 0's close ends the connection. */
  private forgetChannel(close: AmqpCommand): void {
    if (close.name === "connection.close") {
      this.waiting.clear();
      this.confirms.clear();
      this.deliveries.clear();
      return;
    }
    this.waiting.delete(close.channel);
    this.confirms.delete(close.channel);
    this.deliveries.delete(close.channel);
  }

  private settle(sent: Sent, reply: AmqpCommand, timing: MessageTiming, from: "client" | "server"): void {
    this.push({ command: sent.command, reply, from, ...exchangeSpan(sent.timing, timing) });
  }

  private push(exchange: AmqpExchange): void {
    if (this.ready.length >= MAX_WAITING) {
      this.ready.shift();
      this.droppedRequests++;
    }
    this.ready.push(exchange);
  }
}
