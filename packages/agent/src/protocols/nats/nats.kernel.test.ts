import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SocketTracer } from "../../capture/socket-tracer.js";
import { ListeningSockets } from "../../metadata/listening-sockets.js";
import { LocalAddresses } from "../../metadata/local-addresses.js";
import { ProcessNames } from "../../metadata/process-names.js";
import { lookupSocketEndpoints } from "../../metadata/socket-endpoints.js";
import { Pipeline } from "../../pipeline.js";
import type { RequestRecord } from "../../records/request-record.js";
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

let tracer: SocketTracer;
const records: RequestRecord[] = [];

beforeAll(() => {
  const pipeline = new Pipeline({
    tracker: {
      maxConnections: 4096,
      maxStreamBytes: 64 * 1024,
      idleTimeoutNs: 60_000_000_000n,
      lookupEndpoints: lookupSocketEndpoints,
    },
    processNames: new ProcessNames(),
    listeners: new ListeningSockets({ minRefreshIntervalMs: 1000, maxListeners: 4096 }),
    localAddresses: new LocalAddresses(),
    protocols: [natsDefinition],
    onRecord: (record) => records.push(record),
  });
  tracer = SocketTracer.open({ captureBytes: 4096 }, (events) => pipeline.handleBatch(events));
});

afterAll(() => tracer?.close());

describe("NATS behind the real socket tracer", () => {
  it("records a publish, its delivery to the subscriber, and the server's -ERR", async () => {
    const client = spawn(process.execPath, ["-e", CLIENT_SCRIPT], { cwd: process.cwd() });
    await new Promise((resolve) => client.once("exit", resolve));
    const ours = () =>
      records.filter((record) => record.side === "client" && record.client.service === "pscope-nats");
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
