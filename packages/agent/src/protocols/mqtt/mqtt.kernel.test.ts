import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KernelCapture, runNodeScript, startKernelCapture } from "../testing/kernel-capture.js";
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

let capture: KernelCapture;

beforeAll(() => {
  capture = startKernelCapture([mqttDefinition]);
});

afterAll(() => capture?.close());

describe("MQTT behind the real socket tracer", () => {
  it("records CONNECT, SUBSCRIBE, publishes both ways and a refused CONNECT", async () => {
    await runNodeScript(CLIENT_SCRIPT);
    const ours = () =>
      capture.records.filter((record) => record.side === "client" && record.client.service === "pscope-mqtt");
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
