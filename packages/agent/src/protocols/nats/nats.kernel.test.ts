import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KernelCapture, runNodeScript, startKernelCapture } from "../testing/kernel-capture.js";
import { natsDefinition } from "./nats-definition.js";

// nats.js in a child process against the local nats-server (scripts/setup/services.sh),
// seen by the real eBPF tracer: the kernel's inference must tag the connection
// NATS and capture its payload for these records to exist.

// Titles fit comm's 15 bytes, so the name is the same whether it is read from
// /proc or, once the short-lived client has exited, from the event's comm.
const CLIENT_SCRIPT = `
process.title = "pscope-nats";
const { connect } = require("nats");
(async () => {
  const nc = await connect({ servers: "127.0.0.1:4222", pedantic: true });
  const sub = nc.subscribe("pscope.kernel.orders", { max: 1 });
  nc.publish("pscope.kernel.orders", "hello");
  for await (const _ of sub) {}
  nc.publish("pscope..bad", "rejected");
  await nc.flush();
  await nc.close();
})();
`;

let capture: KernelCapture;

beforeAll(() => {
  capture = startKernelCapture([natsDefinition]);
});

afterAll(() => capture?.close());

describe("NATS behind the real socket tracer", () => {
  it("records a publish, its delivery to the subscriber, and the server's -ERR", async () => {
    await runNodeScript(CLIENT_SCRIPT);
    const ours = () =>
      capture.records.filter((record) => record.side === "client" && record.client.service === "pscope-nats");
    await expect
      .poll(() => ours().some((record) => record.operation === "ERR"), { timeout: 10_000 })
      .toBe(true);
    const seen = ours().map((record) => [record.operation, record.target, record.error]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ["CONNECT", "", false],
        ["SUB", "pscope.kernel.orders", false],
        ["PUB", "pscope.kernel.orders", false],
        ["MSG", "pscope.kernel.orders", false],
        ["PUB", "pscope..bad", false],
        ["ERR", "", true],
      ]),
    );
    expect(ours().find((record) => record.operation === "ERR")?.attributes["nats.error"]).toBe(
      "Invalid Publish Subject",
    );
    expect(ours().every((record) => record.server.port === 4222)).toBe(true);
  });
});
