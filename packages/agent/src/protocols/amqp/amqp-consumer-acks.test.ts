import { describe, expect, it } from "vitest";
import type { ObservedEnds } from "../../records/observed-ends.js";
import { replayTranscript, type Segment } from "../testing/transcript.js";
import { amqpExchangeToRecord } from "./amqp-definition.js";
import { AmqpParser } from "./amqp-parser.js";
import { FRAME_END, FrameType, PROTOCOL_HEADER } from "./amqp-wire.js";

// A consumer's settlements, built from the AMQP 0-9-1 grammar (amqp0-9-1.xml):
// basic.deliver (class 60, method 60) with an empty body, then basic.ack (60, 80)
// and basic.nack (60, 120) from the client.

const endpoint = { ip: "127.0.0.1", port: 0, service: "", pid: 0, processName: "" };
const ends: ObservedEnds = { side: "client", client: endpoint, server: { ...endpoint, port: 5672 } };

function frame(type: number, channel: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(7);
  header[0] = type;
  header.writeUInt16BE(channel, 1);
  header.writeUInt32BE(payload.length, 3);
  return Buffer.concat([header, payload, Buffer.from([FRAME_END])]);
}

function shortstr(text: string): Buffer {
  return Buffer.concat([Buffer.from([text.length]), Buffer.from(text)]);
}

function method(classId: number, methodId: number, ...args: Buffer[]): Buffer {
  const ids = Buffer.alloc(4);
  ids.writeUInt16BE(classId, 0);
  ids.writeUInt16BE(methodId, 2);
  return frame(FrameType.Method, 1, Buffer.concat([ids, ...args]));
}

function longlong(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}

function deliver(tag: number, routingKey: string): Buffer {
  // Content header: class 60, weight 0, body size 0, no properties.
  const contentHeader = frame(FrameType.Header, 1, Buffer.from("003c000000000000000000000000", "hex"));
  return Buffer.concat([
    method(
      60,
      60,
      shortstr("ctag"),
      longlong(tag),
      Buffer.from([0]),
      shortstr("orders"),
      shortstr(routingKey),
    ),
    contentHeader,
  ]);
}

const settle = (methodId: number, tag: number, flags: number) =>
  method(60, methodId, longlong(tag), Buffer.from([flags]));

describe("AMQP consumer settlements", () => {
  it("records an ack for several deliveries and a nack, each named after what it settles", () => {
    const segments: Segment[] = [
      { fromClient: true, bytes: PROTOCOL_HEADER },
      {
        fromClient: false,
        bytes: Buffer.concat([deliver(1, "created"), deliver(2, "paid"), deliver(3, "shipped")]),
      },
      { fromClient: true, bytes: settle(80, 2, 0x01) }, // basic.ack, multiple: settles 1 and 2
      { fromClient: true, bytes: settle(120, 3, 0x02) }, // basic.nack, requeue
      { fromClient: true, bytes: settle(80, 9, 0x00) }, // an ack of a tag never delivered
    ];
    const { exchanges, counters } = replayTranscript(segments, new AmqpParser(), 7);
    expect(counters).toEqual({ parseErrors: 0, streamGaps: 0 });
    const records = exchanges.map((exchange) => amqpExchangeToRecord(exchange, ends));
    expect(
      records.map((record) => [
        record.operation,
        record.target,
        record.error,
        record.attributes["amqp.delivery_tag"],
        record.attributes["amqp.settled_deliveries"],
      ]),
    ).toEqual([
      ["basic.deliver", "orders/created", false, undefined, undefined],
      ["basic.deliver", "orders/paid", false, undefined, undefined],
      ["basic.deliver", "orders/shipped", false, undefined, undefined],
      ["basic.ack", "orders/paid", false, "2", "2"],
      ["basic.nack", "orders/shipped", true, "3", "1"],
      ["basic.ack", "", false, "9", "0"],
    ]);
  });
});
