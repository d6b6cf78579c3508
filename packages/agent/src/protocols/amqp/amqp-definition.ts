import { KernelProtocol } from "../../capture/events.js";
import { durationBetween, type ObservedEnds } from "../../records/observed-ends.js";
import type { RequestRecord } from "../../records/request-record.js";
import { parseTraceParent } from "../http1/trace-context.js";
import type { ProtocolDefinition } from "../protocol-definition.js";
import { type AmqpExchange, AmqpParser } from "./amqp-parser.js";
import { FRAME_END, FrameType, PROTOCOL_HEADER, REPLY_SUCCESS } from "./amqp-wire.js";

/** Attribute values are bounded: a shortstr is up to 255 bytes, reply texts too. */
const MAX_ATTRIBUTE_LENGTH = 256;

export const amqpDefinition: ProtocolDefinition<AmqpExchange> = {
  name: "amqp",
  kernelProtocol: KernelProtocol.Amqp,
  classifyFirstBytes(bytes) {
    // The client opens with the protocol header; the broker with connection.start
    // on channel 0 (a method frame: type 1, channel 0, class 10 method 10).
    if (bytes.length >= PROTOCOL_HEADER.length && bytes.subarray(0, 8).equals(PROTOCOL_HEADER))
      return "request";
    if (bytes.length < 12 || bytes[0] !== FrameType.Method || bytes.readUInt16BE(1) !== 0) return undefined;
    if (bytes.readUInt32BE(7) !== 0x000a000a) return undefined;
    const end = 7 + bytes.readUInt32BE(3);
    return end >= bytes.length || bytes[end] === FRAME_END ? "response" : undefined;
  },
  createParser: () => new AmqpParser(),
  toRecord: amqpExchangeToRecord,
};

export function amqpExchangeToRecord(exchange: AmqpExchange, ends: ObservedEnds): RequestRecord {
  const { command, reply } = exchange;
  // A consumer's ack names what it settles: the delivery's exchange and routing key.
  const about = exchange.settles?.lastDelivery?.fields ?? command.fields;
  // queue.declare-ok names a server-named queue; consume-ok a server-chosen tag.
  const fields = {
    queue: reply?.fields.queue ?? command.fields.queue,
    consumerTag: reply?.fields.consumerTag ?? command.fields.consumerTag,
  };
  const attributes: Record<string, string> = { "amqp.channel": String(command.channel) };
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== "") attributes[name] = value.slice(0, MAX_ATTRIBUTE_LENGTH);
  };
  put("amqp.exchange", about.exchange);
  put("amqp.routing_key", about.routingKey);
  put("amqp.queue", fields.queue);
  put("amqp.consumer_tag", fields.consumerTag);
  put("amqp.virtual_host", command.fields.virtualHost);
  put("amqp.mechanism", reply?.fields.mechanism);
  put("amqp.reply", reply?.name);
  put("amqp.reply_text", reply?.fields.replyText ?? command.fields.replyText);
  if (exchange.settles !== undefined) {
    put("amqp.delivery_tag", command.fields.deliveryTag?.toString());
    attributes["amqp.settled_deliveries"] = String(exchange.settles.count);
  }
  if (command.bodySize > 0 || command.name === "basic.publish" || command.name === "basic.deliver")
    attributes["amqp.body_size"] = String(command.bodySize);
  const replyCode = reply?.fields.replyCode ?? command.fields.replyCode;
  // A broker close, a return of an unroutable message and a nack are failures;
  // a close with reply-success (200) is an orderly shutdown. A consumer's nack or
  // reject is its own failure to process what it was given.
  const consumerRefused = command.name === "basic.nack" || command.name === "basic.reject";
  const error =
    (replyCode !== undefined && replyCode !== REPLY_SUCCESS) ||
    reply?.name === "basic.nack" ||
    (exchange.from === "client" && consumerRefused);
  const bytes = { command: command.wireBytes, reply: reply?.wireBytes ?? 0 };
  // A published or delivered message's traceparent header: the producer's span, seen at both ends.
  const trace = parseTraceParent(command.traceParent);
  const fromServer = exchange.from === "server";
  return {
    protocol: "amqp",
    side: ends.side,
    startMonotonicNs: exchange.startNs,
    durationNs: durationBetween(exchange.startNs, exchange.endNs),
    client: ends.client,
    server: ends.server,
    operation: command.name,
    target: targetOf(about.exchange, about.routingKey, fields.queue, command.fields.virtualHost),
    status: replyCode ?? (reply === undefined ? 0 : REPLY_SUCCESS),
    error,
    // Bytes the client sent and the broker sent, whichever spoke first.
    requestBytes: fromServer ? bytes.reply : bytes.command,
    responseBytes: fromServer ? bytes.command : bytes.reply,
    attributes,
    traceId: trace?.traceId ?? "",
    spanId: trace?.parentSpanId ?? "",
    parentSpanId: "",
    truncated: exchange.truncated,
  };
}

/** Where a message went: "exchange/routing-key", the routing key alone on the default exchange. */
function targetOf(
  exchange: string | undefined,
  routingKey: string | undefined,
  queue: string | undefined,
  virtualHost: string | undefined,
): string {
  if (routingKey !== undefined && queue === undefined)
    return exchange === undefined || exchange === "" ? routingKey : `${exchange}/${routingKey}`;
  return queue ?? exchange ?? virtualHost ?? "";
}
