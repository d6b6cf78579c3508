import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ObservedEnds } from "../../records/observed-ends.js";
import { longestSegment, readTranscript, replayTranscript } from "../testing/transcript.js";
import { amqpExchangeToRecord } from "./amqp-definition.js";
import { type AmqpExchange, AmqpParser } from "./amqp-parser.js";

const here = dirname(fileURLToPath(import.meta.url));
const endpoint = { ip: "127.0.0.1", port: 0, service: "", pid: 0, processName: "" };
const ends: ObservedEnds = { side: "client", client: endpoint, server: endpoint };

function summarize(exchange: AmqpExchange) {
  const record = amqpExchangeToRecord(exchange, ends);
  return {
    operation: record.operation,
    target: record.target,
    status: record.status,
    error: record.error,
    reply: record.attributes["amqp.reply"],
    bodySize: record.attributes["amqp.body_size"],
    requestBytes: record.requestBytes,
    responseBytes: record.responseBytes,
  };
}

const handshake = [
  { operation: "connection.start", reply: "connection.start-ok", status: 200 },
  { operation: "connection.open", target: "/", reply: "connection.open-ok" },
  { operation: "channel.open", reply: "channel.open-ok" },
];
const goodbye = [
  { operation: "channel.close", reply: "channel.close-ok", status: 200, error: false },
  { operation: "connection.close", reply: "connection.close-ok", status: 200, error: false },
];

const cases = [
  {
    name: "publish-consume",
    records: [
      ...handshake,
      { operation: "queue.declare", target: "periscope.orders", reply: "queue.declare-ok" },
      { operation: "queue.purge", target: "periscope.orders", reply: "queue.purge-ok" },
      { operation: "basic.publish", target: "periscope.orders", reply: undefined, status: 0, bodySize: "11" },
      { operation: "basic.publish", target: "periscope.orders", reply: undefined, bodySize: "6000" },
      { operation: "basic.consume", target: "periscope.orders", reply: "basic.consume-ok" },
      { operation: "basic.deliver", target: "periscope.orders", bodySize: "11", requestBytes: 0 },
      { operation: "basic.deliver", target: "periscope.orders", bodySize: "6000" },
      // The consumer's acks, named after the deliveries they settle.
      {
        operation: "basic.ack",
        target: "periscope.orders",
        error: false,
        requestBytes: 21,
        responseBytes: 0,
      },
      {
        operation: "basic.ack",
        target: "periscope.orders",
        error: false,
        requestBytes: 21,
        responseBytes: 0,
      },
      { operation: "basic.cancel", reply: "basic.cancel-ok" },
      ...goodbye,
    ],
  },
  {
    name: "confirms",
    records: [
      ...handshake,
      { operation: "confirm.select", reply: "confirm.select-ok" },
      { operation: "exchange.declare", target: "periscope.events", reply: "exchange.declare-ok" },
      {
        operation: "basic.publish",
        target: "periscope.events/orders.created",
        reply: "basic.ack",
        status: 200,
      },
      { operation: "basic.publish", target: "periscope.events/orders.paid", reply: "basic.ack" },
      { operation: "basic.publish", target: "periscope.events/orders.shipped", reply: "basic.ack" },
      ...goodbye,
    ],
  },
  {
    name: "channel-error",
    records: [
      ...handshake,
      {
        operation: "queue.declare",
        target: "periscope.missing",
        reply: "channel.close",
        status: 404,
        error: true,
      },
      goodbye[1],
    ],
  },
];

describe("AMQP 0-9-1 conversations recorded between amqplib and RabbitMQ", () => {
  for (const expected of cases) {
    describe(expected.name, () => {
      const segments = readTranscript(join(here, "fixtures", `${expected.name}.transcript`));
      const whole = replayTranscript(segments, new AmqpParser(), longestSegment(segments));

      it("yields the expected records when replayed whole", () => {
        expect(whole.exchanges.map(summarize)).toMatchObject(expected.records);
        expect(whole.counters).toEqual({ parseErrors: 0, streamGaps: 0 });
      });

      it("yields the same records at every chunk size, byte by byte included", () => {
        const reference = whole.exchanges.map(summarize);
        for (let chunkSize = 1; chunkSize <= longestSegment(segments); chunkSize++) {
          const result = replayTranscript(segments, new AmqpParser(), chunkSize);
          expect(result.exchanges.map(summarize), `chunk size ${chunkSize}`).toEqual(reference);
          expect(result.counters.parseErrors, `chunk size ${chunkSize}`).toBe(0);
        }
      });
    });
  }

  it("never keeps the SASL response that carries the password", () => {
    const segments = readTranscript(join(here, "fixtures", "publish-consume.transcript"));
    const result = replayTranscript(segments, new AmqpParser(), longestSegment(segments));
    expect(
      JSON.stringify(result.exchanges, (_, value) => (typeof value === "bigint" ? String(value) : value)),
    ).not.toContain("guest");
  });
});
