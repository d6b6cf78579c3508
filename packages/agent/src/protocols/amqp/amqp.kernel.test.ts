import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KernelCapture, runNodeScript, startKernelCapture } from "../testing/kernel-capture.js";
import { amqpDefinition } from "./amqp-definition.js";

// amqplib in a child process against the local RabbitMQ (scripts/setup/services.sh),
// seen by the real eBPF tracer: the kernel's inference must tag the connection
// AMQP and capture its payload for these records to exist.

// The title fits comm's 15 bytes, so the name is the same whether it is read
// from /proc or, once the short-lived client has exited, from the event's comm.
const CLIENT_SCRIPT = `
process.title = "pscope-amqp";
const amqp = require("amqplib");
(async () => {
  const connection = await amqp.connect("amqp://guest:guest@127.0.0.1:5672");
  const channel = await connection.createConfirmChannel();
  await channel.assertExchange("pscope.kernel", "direct", { durable: false, autoDelete: true });
  const { queue } = await channel.assertQueue("pscope.kernel.orders", { durable: false, autoDelete: true });
  await channel.bindQueue(queue, "pscope.kernel", "orders.created");
  await channel.purgeQueue(queue);
  for (const body of ["first", "second"]) {
    // The second message carries W3C trace context in its headers, as OpenTelemetry's instrumentations send it.
    const headers = body === "second"
      ? { "x-app": "kernel-test", traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", retries: 3 }
      : undefined;
    channel.publish("pscope.kernel", "orders.created", Buffer.from(body), { contentType: "text/plain", headers });
    await channel.waitForConfirms();
  }
  const settled = new Promise((resolve) => {
    let count = 0;
    channel.consume(queue, (message) => {
      if (message.content.toString() === "first") channel.ack(message);
      else channel.nack(message, false, false);
      if (++count === 2) resolve();
    });
  });
  await settled;
  await channel.close();
  const doomed = await connection.createChannel();
  doomed.on("error", () => {});
  await doomed.checkQueue("pscope.kernel.missing").catch(() => {});
  await connection.close();
})();
`;

let capture: KernelCapture;

beforeAll(() => {
  capture = startKernelCapture([amqpDefinition]);
});

afterAll(() => capture?.close());

describe("AMQP 0-9-1 behind the real socket tracer", () => {
  it("records confirmed publishes, deliveries, the consumer's ack and nack, and a 404 channel close", async () => {
    const client = await runNodeScript(CLIENT_SCRIPT);
    const ours = () => capture.clientRecordsOf(client.pid);
    await expect
      .poll(() => ours().some((record) => record.operation === "connection.close"), { timeout: 10_000 })
      .toBe(true);
    const seen = ours().map((record) => ({
      operation: record.operation,
      target: record.target,
      status: record.status,
      error: record.error,
      reply: record.attributes["amqp.reply"],
    }));
    const published = {
      operation: "basic.publish",
      target: "pscope.kernel/orders.created",
      status: 200,
      error: false,
      reply: "basic.ack",
    };
    const delivered = {
      operation: "basic.deliver",
      target: "pscope.kernel/orders.created",
      status: 0,
      error: false,
      reply: undefined,
    };
    expect(seen).toEqual(
      expect.arrayContaining([
        { operation: "confirm.select", target: "", status: 200, error: false, reply: "confirm.select-ok" },
        {
          operation: "exchange.declare",
          target: "pscope.kernel",
          status: 200,
          error: false,
          reply: "exchange.declare-ok",
        },
        {
          operation: "queue.bind",
          target: "pscope.kernel.orders",
          status: 200,
          error: false,
          reply: "queue.bind-ok",
        },
        published,
        delivered,
        { ...delivered, operation: "basic.ack" },
        { ...delivered, operation: "basic.nack", error: true },
        {
          operation: "queue.declare",
          target: "pscope.kernel.missing",
          status: 404,
          error: true,
          reply: "channel.close",
        },
      ]),
    );
    expect(seen.filter((record) => record.operation === "basic.publish")).toEqual([published, published]);
    expect(seen.filter((record) => record.operation === "basic.deliver")).toEqual([delivered, delivered]);
    // The traced message joins its trace where it is published and where it is delivered.
    const traced = (operation: string) =>
      ours()
        .filter((record) => record.operation === operation)
        .map((record) => [record.traceId, record.spanId]);
    for (const operation of ["basic.publish", "basic.deliver"]) {
      expect(traced(operation)).toEqual([
        ["", ""],
        ["4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"],
      ]);
    }
    const notFound = ours().find((record) => record.status === 404);
    expect(notFound?.attributes["amqp.reply_text"]).toMatch(/^NOT_FOUND - no queue 'pscope.kernel.missing'/);
    expect(
      ours().every((record) => record.server.port === 5672 && record.client.service === "pscope-amqp"),
    ).toBe(true);
  });
});
