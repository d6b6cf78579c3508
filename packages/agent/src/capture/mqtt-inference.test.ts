import { describe, expect, it } from "vitest";
import { ascii, type InferenceCase, runInferenceCheck } from "./fixtures/inference-check.js";

// bpf/protocols/mqtt.h on the client's CONNECT.
const connect = (remaining: number[], name: string, level: number, flags: number) =>
  Buffer.concat([
    Buffer.from([0x10, ...remaining, 0, name.length]),
    ascii(name),
    Buffer.from([level, flags, 0, 60]),
    ascii("\0\x0bmqttjs_1234"),
  ]);
const cases: InferenceCase[] = [
  ["MQTT 3.1.1 CONNECT, clean session (mqtt.js default)", connect([23], "MQTT", 4, 0x02), 1],
  ["MQTT 5.0 CONNECT", connect([24], "MQTT", 5, 0x02), 1],
  ["MQTT 3.1 MQIsdp", connect([25], "MQIsdp", 3, 0x02), 1],
  ["two-byte remaining length (a large will message)", connect([0xc1, 0x02], "MQTT", 4, 0x06), 1],
  ["level 6", connect([23], "MQTT", 6, 0x02), 0],
  ["reserved connect flag set", connect([23], "MQTT", 4, 0x03), 0],
  ["MQIsdp at level 4", connect([25], "MQIsdp", 4, 0x02), 0],
  ["CONNACK", Buffer.from([0x20, 0x02, 0x00, 0x00]), 0],
  ["PUBLISH", Buffer.concat([Buffer.from([0x30, 0x0c, 0x00, 0x04]), ascii("MQTTpayload")]), 0],
  ["remaining length too small", connect([3], "MQTT", 4, 0x02), 0],
  ["five-byte remaining length", connect([0x80, 0x80, 0x80, 0x80, 0x01], "MQTT", 4, 0x02), 0],
];

describe("in-kernel MQTT inference (bpf/protocols/mqtt.h)", () => {
  const results = runInferenceCheck("mqtt.h", "mqtt_looks_like_connect(buf, len)", cases);
  it.each(cases.map(([label, , expected], i) => [label, expected, i] as const))(
    "%s -> %s",
    (_l, expected, i) => {
      expect(results[i]).toBe(expected);
    },
  );
});
