import { describe, expect, it } from "vitest";
import { ascii, type InferenceCase, runInferenceCheck } from "./fixtures/inference-check.js";

// bpf/protocols/nats.h and amqp.h: fixed openings. The INFO line is the
// start of what the local nats-server 2.x sent to a plain TCP connect.
const natsCases: InferenceCase[] = [
  ["server INFO", ascii('INFO {"server_id":"NBGYSOFVTHUR5YMOZFXUX'), 1],
  ["client CONNECT", ascii('CONNECT {"protocol":1,"version":"2.29.3"}\r\n'), 2],
  ["INFO without JSON", ascii("INFO\r\n"), 0],
  ["lower-case connect", ascii("connect {}\r\n"), 0],
  ["PUB (not a first message)", ascii("PUB foo 5\r\nhello\r\n"), 0],
];

const amqpCases: InferenceCase[] = [
  ["AMQP 0-9-1 header (amqplib)", ascii("AMQP\x00\x00\x09\x01"), 1],
  ["AMQP 1.0 header", ascii("AMQP\x00\x01\x00\x00"), 0],
  ["AMQP 0-8", ascii("AMQP\x01\x01\x08\x00"), 0],
  ["truncated header", ascii("AMQP\x00\x00"), 0],
  ["lower case", ascii("amqp\x00\x00\x09\x01"), 0],
];

function table(cases: InferenceCase[], results: number[]) {
  it.each(cases.map(([label, , expected], i) => [label, expected, i] as const))(
    "%s -> %s",
    (_l, expected, i) => {
      expect(results[i]).toBe(expected);
    },
  );
}

describe("in-kernel NATS inference (bpf/protocols/nats.h): 1 = INFO, 2 = CONNECT", () => {
  table(
    natsCases,
    runInferenceCheck(
      "nats.h",
      "nats_looks_like_info(buf, len) ? 1 : nats_looks_like_connect(buf, len) ? 2 : 0",
      natsCases,
    ),
  );
});

describe("in-kernel AMQP inference (bpf/protocols/amqp.h)", () => {
  table(amqpCases, runInferenceCheck("amqp.h", "amqp_looks_like_protocol_header(buf, len)", amqpCases));
});
