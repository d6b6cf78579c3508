import { describe, expect, it } from "vitest";
import { ascii, type InferenceCase, runInferenceCheck } from "./fixtures/inference-check.js";

// bpf/protocols/http2.h: 1 = the client preface, 2 = a server's SETTINGS preface.
const preface = ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const frame = (length: number, type: number, flags: number, stream: number) =>
  Buffer.from([length >> 16, (length >> 8) & 0xff, length & 0xff, type, flags, 0, 0, 0, stream]);
const expression =
  "http2_looks_like_client_preface(buf, len) ? 1 : http2_looks_like_server_preface(buf, len) ? 2 : 0";
const cases: InferenceCase[] = [
  ["client preface then SETTINGS (node:http2)", Buffer.concat([preface, frame(24, 4, 0, 0)]), 1],
  ["client preface alone", preface, 1],
  ["preface cut at 20 bytes", preface.subarray(0, 20), 0],
  ["HTTP/1 request", ascii("PRI * HTTP/1.1\r\n\r\nSM\r\n\r\n"), 0],
  ["server SETTINGS with 4 settings (node:http2)", Buffer.concat([frame(24, 4, 0, 0), Buffer.alloc(24)]), 2],
  ["server SETTINGS, empty", frame(0, 4, 0, 0), 2],
  ["SETTINGS ACK (never a preface)", frame(0, 4, 1, 0), 0],
  ["SETTINGS on stream 1", frame(6, 4, 0, 1), 0],
  ["SETTINGS of 7 bytes (not a multiple of 6)", frame(7, 4, 0, 0), 0],
  ["HEADERS frame", frame(30, 1, 4, 1), 0],
  ["all zeros", Buffer.alloc(12), 0],
];

describe("in-kernel HTTP/2 inference (bpf/protocols/http2.h)", () => {
  const results = runInferenceCheck("http2.h", expression, cases);
  it.each(cases.map(([label, , expected], i) => [label, expected, i] as const))(
    "%s -> %s",
    (_l, expected, i) => {
      expect(results[i]).toBe(expected);
    },
  );
});
