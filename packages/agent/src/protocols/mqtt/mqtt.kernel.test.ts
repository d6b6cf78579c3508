import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SocketTracer } from "../../capture/socket-tracer.js";
import { ListeningSockets } from "../../metadata/listening-sockets.js";
import { LocalAddresses } from "../../metadata/local-addresses.js";
import { ProcessNames } from "../../metadata/process-names.js";
import { lookupSocketEndpoints } from "../../metadata/socket-endpoints.js";
import { Pipeline } from "../../pipeline.js";
import type { RequestRecord } from "../../records/request-record.js";
import { mqttDefinition } from "./mqtt-definition.js";

// mqtt.js in a child process against the local Mosquitto (scripts/setup/services.sh),
// seen by the real eBPF tracer: the kernel's inference must tag the connection
// MQTT and capture its payload for these records to exist.

// Titles fit comm's 15 bytes, so the name is the same whether it is read from
// /proc or, once the short-lived client has exited, from the event's comm.
const CLIENT_SCRIPT = `
process.title = "pscope-mqtt";
const mqtt = require("mqtt");
(async () => {
  const client = await mqtt.connectAsync("mqtt://127.0.0.1:1883", {
    protocolVersion: 5, clientId: "pscope-kernel", reconnectPeriod: 0,
  });
  await client.subscribeAsync("pscope/kernel/#", { qos: 1 });
  await client.publishAsync("pscope/kernel/zero", "0", { qos: 0 });
  await client.publishAsync("pscope/kernel/one", "1", { qos: 1 });
  await new Promise((resolve) => setTimeout(resolve, 200));
  await client.endAsync();
  const refused = mqtt.connect("mqtt://127.0.0.1:1883", {
    protocolVersion: 5, clientId: "pscope-refused", reconnectPeriod: 0,
    properties: { authenticationMethod: "SCRAM-SHA-1" },
  });
  refused.on("error", () => {});
  await new Promise((resolve) => setTimeout(resolve, 300));
  refused.end(true);
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
    protocols: [mqttDefinition],
    onRecord: (record) => records.push(record),
  });
  tracer = SocketTracer.open({ captureBytes: 4096 }, (events) => pipeline.handleBatch(events));
});

afterAll(() => tracer?.close());

describe("MQTT behind the real socket tracer", () => {
  it("records CONNECT, SUBSCRIBE, publishes both ways and a refused CONNECT", async () => {
    const client = spawn(process.execPath, ["-e", CLIENT_SCRIPT], { cwd: process.cwd() });
    await new Promise((resolve) => client.once("exit", resolve));
    const ours = () =>
      records.filter((record) => record.side === "client" && record.client.service === "pscope-mqtt");
    await expect
      .poll(() => ours().some((record) => record.target === "pscope-refused"), { timeout: 10_000 })
      .toBe(true);
    const seen = ours().map((record) => [
      record.operation,
      record.target,
      record.status,
      record.error,
      record.attributes["mqtt.direction"],
    ]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ["CONNECT", "pscope-kernel", 0, false, undefined],
        ["SUBSCRIBE", "pscope/kernel/#", 1, false, undefined],
        ["PUBLISH", "pscope/kernel/zero", 0, false, "client-to-server"],
        ["PUBLISH", "pscope/kernel/one", 0, false, "client-to-server"],
        ["PUBLISH", "pscope/kernel/one", 0, false, "server-to-client"],
        ["CONNECT", "pscope-refused", 0x8c, true, undefined],
      ]),
    );
    expect(ours().every((record) => record.server.port === 1883)).toBe(true);
  });
});
