import { AmqpFieldReader } from "./amqp-fields.js";
import { METHOD_NAMES, methodKey } from "./amqp-wire.js";

/** The arguments users read off a record; the rest of each method is skipped. */
export interface AmqpMethodFields {
  exchange?: string;
  routingKey?: string;
  queue?: string;
  consumerTag?: string;
  deliveryTag?: bigint;
  multiple?: boolean;
  replyCode?: number;
  replyText?: string;
  virtualHost?: string;
  mechanism?: string;
  /** The peer will send no -ok (the no-wait bit). */
  noWait?: boolean;
}

export interface AmqpMethod {
  channel: number;
  name: string;
  fields: AmqpMethodFields;
}

/**
 * Decodes a method frame payload (class id, method id, arguments), or returns a
 * reason it is not one. Argument layouts: amqp0-9-1.xml; consecutive bits share
 * one octet, low bit first (§4.2.5.2).
 */
export function decodeMethod(channel: number, payload: Buffer): AmqpMethod | string {
  if (payload.length < 4) return "method frame shorter than its ids";
  const name = METHOD_NAMES.get(methodKey(payload.readUInt16BE(0), payload.readUInt16BE(2)));
  if (name === undefined) return "unknown AMQP class or method";
  const reader = new AmqpFieldReader(payload, 4, payload.length);
  const fields = readFields(name, reader);
  if (reader.overrun) return `${name} runs past its frame`;
  return { channel, name, fields };
}

function readFields(name: string, reader: AmqpFieldReader): AmqpMethodFields {
  switch (name) {
    case "connection.start-ok": {
      reader.skipLong(); // client-properties
      const mechanism = reader.shortstr();
      // The SASL response holds the password (PLAIN: "\0user\0password"): never kept.
      reader.skipLong();
      return { mechanism };
    }
    case "connection.open":
      return { virtualHost: reader.shortstr() };
    case "connection.close":
    case "channel.close":
      return { replyCode: reader.short(), replyText: reader.shortstr() };
    case "exchange.declare": {
      reader.short(); // reserved-1 (ticket)
      const exchange = reader.shortstr();
      reader.shortstr(); // type
      return { exchange, noWait: (reader.octet() & 0x10) !== 0 }; // passive durable auto-delete internal no-wait
    }
    case "queue.declare": {
      reader.short();
      const queue = reader.shortstr();
      return { queue, noWait: (reader.octet() & 0x10) !== 0 }; // passive durable exclusive auto-delete no-wait
    }
    case "queue.declare-ok":
      return { queue: reader.shortstr() };
    case "queue.bind":
    case "queue.unbind": {
      reader.short();
      const queue = reader.shortstr();
      const exchange = reader.shortstr();
      const routingKey = reader.shortstr();
      return { queue, exchange, routingKey, noWait: name === "queue.bind" && (reader.octet() & 0x01) !== 0 };
    }
    case "queue.purge":
    case "queue.delete": {
      reader.short();
      const queue = reader.shortstr();
      return { queue, noWait: (reader.octet() & (name === "queue.purge" ? 0x01 : 0x04)) !== 0 };
    }
    case "exchange.delete": {
      reader.short();
      const exchange = reader.shortstr();
      return { exchange, noWait: (reader.octet() & 0x02) !== 0 }; // if-unused no-wait
    }
    case "basic.consume": {
      reader.short();
      const queue = reader.shortstr();
      const consumerTag = reader.shortstr();
      return { queue, consumerTag, noWait: (reader.octet() & 0x08) !== 0 }; // no-local no-ack exclusive no-wait
    }
    case "basic.consume-ok":
    case "basic.cancel-ok":
      return { consumerTag: reader.shortstr() };
    case "basic.cancel": {
      const consumerTag = reader.shortstr();
      return { consumerTag, noWait: (reader.octet() & 0x01) !== 0 };
    }
    case "basic.publish": {
      reader.short();
      return { exchange: reader.shortstr(), routingKey: reader.shortstr() };
    }
    case "basic.return":
      return {
        replyCode: reader.short(),
        replyText: reader.shortstr(),
        exchange: reader.shortstr(),
        routingKey: reader.shortstr(),
      };
    case "basic.deliver": {
      const consumerTag = reader.shortstr();
      const deliveryTag = reader.longlong();
      reader.octet(); // redelivered
      return { consumerTag, deliveryTag, exchange: reader.shortstr(), routingKey: reader.shortstr() };
    }
    case "basic.get": {
      reader.short();
      return { queue: reader.shortstr() };
    }
    case "basic.get-ok": {
      const deliveryTag = reader.longlong();
      reader.octet();
      return { deliveryTag, exchange: reader.shortstr(), routingKey: reader.shortstr() };
    }
    case "basic.ack":
    case "basic.nack":
    case "basic.reject": {
      const deliveryTag = reader.longlong();
      return { deliveryTag, multiple: name !== "basic.reject" && (reader.octet() & 0x01) !== 0 };
    }
    case "confirm.select":
      return { noWait: (reader.octet() & 0x01) !== 0 };
    default:
      return {};
  }
}
