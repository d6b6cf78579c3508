// AMQP 0-9-1 wire constants: "AMQP 0-9-1 Specification" §4.2 (framing) and the
// generated class/method index of amqp0-9-1.xml (RabbitMQ's copy, with the
// confirm class and basic.nack it adds: "RabbitMQ extensions", Publisher Confirms).

/** The client's first 8 bytes: "AMQP" 0 0 9 1 (§4.2.2). */
export const PROTOCOL_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]); // "AMQP\0\0\x09\x01"

/** Frame types (§4.2.3; 8 is RabbitMQ's and the XML's frame-heartbeat, not the PDF's 4). */
export const FrameType = {
  Method: 1,
  Header: 2,
  Body: 3,
  Heartbeat: 8,
} as const;

/** type (1) + channel (2) + size (4) before the payload; one frame-end octet after it. */
export const FRAME_HEADER_BYTES = 7;
export const FRAME_END = 0xce;

/** Class ids (amqp0-9-1.xml). */
export const AmqpClass = {
  Connection: 10,
  Channel: 20,
  Exchange: 40,
  Queue: 50,
  Basic: 60,
  Confirm: 85,
  Tx: 90,
} as const;

/** "class.method" by (class id << 16 | method id). */
export const METHOD_NAMES: ReadonlyMap<number, string> = new Map(
  (
    [
      [10, 10, "connection.start"],
      [10, 11, "connection.start-ok"],
      [10, 20, "connection.secure"],
      [10, 21, "connection.secure-ok"],
      [10, 30, "connection.tune"],
      [10, 31, "connection.tune-ok"],
      [10, 40, "connection.open"],
      [10, 41, "connection.open-ok"],
      [10, 50, "connection.close"],
      [10, 51, "connection.close-ok"],
      [10, 60, "connection.blocked"],
      [10, 61, "connection.unblocked"],
      [10, 70, "connection.update-secret"],
      [10, 71, "connection.update-secret-ok"],
      [20, 10, "channel.open"],
      [20, 11, "channel.open-ok"],
      [20, 20, "channel.flow"],
      [20, 21, "channel.flow-ok"],
      [20, 40, "channel.close"],
      [20, 41, "channel.close-ok"],
      [40, 10, "exchange.declare"],
      [40, 11, "exchange.declare-ok"],
      [40, 20, "exchange.delete"],
      [40, 21, "exchange.delete-ok"],
      [40, 30, "exchange.bind"],
      [40, 31, "exchange.bind-ok"],
      [40, 40, "exchange.unbind"],
      [40, 51, "exchange.unbind-ok"],
      [50, 10, "queue.declare"],
      [50, 11, "queue.declare-ok"],
      [50, 20, "queue.bind"],
      [50, 21, "queue.bind-ok"],
      [50, 30, "queue.purge"],
      [50, 31, "queue.purge-ok"],
      [50, 40, "queue.delete"],
      [50, 41, "queue.delete-ok"],
      [50, 50, "queue.unbind"],
      [50, 51, "queue.unbind-ok"],
      [60, 10, "basic.qos"],
      [60, 11, "basic.qos-ok"],
      [60, 20, "basic.consume"],
      [60, 21, "basic.consume-ok"],
      [60, 30, "basic.cancel"],
      [60, 31, "basic.cancel-ok"],
      [60, 40, "basic.publish"],
      [60, 50, "basic.return"],
      [60, 60, "basic.deliver"],
      [60, 70, "basic.get"],
      [60, 71, "basic.get-ok"],
      [60, 72, "basic.get-empty"],
      [60, 80, "basic.ack"],
      [60, 90, "basic.reject"],
      [60, 100, "basic.recover-async"],
      [60, 110, "basic.recover"],
      [60, 111, "basic.recover-ok"],
      [60, 120, "basic.nack"],
      [85, 10, "confirm.select"],
      [85, 11, "confirm.select-ok"],
      [90, 10, "tx.select"],
      [90, 11, "tx.select-ok"],
      [90, 20, "tx.commit"],
      [90, 21, "tx.commit-ok"],
      [90, 30, "tx.rollback"],
      [90, 31, "tx.rollback-ok"],
    ] as const
  ).map(([classId, methodId, name]) => [(classId << 16) | methodId, name]),
);

export function methodKey(classId: number, methodId: number): number {
  return (classId << 16) | methodId;
}

/** Methods followed by a content header and body frames (§4.2.6). */
export const CONTENT_METHODS: ReadonlySet<string> = new Set([
  "basic.publish",
  "basic.return",
  "basic.deliver",
  "basic.get-ok",
]);

/** reply-success; every other reply code (§1.9 "Constants") is a soft or hard error. */
export const REPLY_SUCCESS = 200;
