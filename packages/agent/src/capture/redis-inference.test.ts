import { describe, expect, it } from "vitest";
import { ascii, type InferenceCase, runInferenceCheck } from "./fixtures/inference-check.js";

// bpf/protocols/redis.h: requests (what decides a connection) and replies
// (tried only on a response the request check missed). 1 = request, 2 = reply.
const expression = "redis_looks_like_request(buf, len) ? 1 : redis_looks_like_reply(buf, len) ? 2 : 0";
const cases: InferenceCase[] = [
  ["PING as ioredis sends it", ascii("*1\r\n$4\r\nping\r\n"), 1],
  ["SET with three arguments", ascii("*3\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n"), 1],
  ["a 12-element MSET", ascii("*12\r\n$4\r\nMSET\r\n"), 1],
  ["a 100-element array", ascii("*100\r\n$5\r\nRPUSH\r\n"), 1],
  ["a 1000-element array: read as a reply, not among the request forms", ascii("*1000\r\n$4\r\n"), 2],
  ["inline command (not recognised)", ascii("PING\r\n"), 0],
  ["+OK", ascii("+OK\r\n"), 2],
  ["+PONG", ascii("+PONG\r\n"), 2],
  ["-ERR", ascii("-ERR unknown command 'foo'\r\n"), 2],
  [":integer", ascii(":1000\r\n"), 2],
  ["negative integer", ascii(":-1\r\n"), 2],
  ["bulk string", ascii("$5\r\nhello\r\n"), 2],
  ["nil bulk", ascii("$-1\r\n"), 2],
  ["RESP3 map (HELLO 3)", ascii("%7\r\n$6\r\nserver\r\n"), 2],
  ["RESP3 null", ascii("_\r\n"), 2],
  ["RESP3 boolean", ascii("#t\r\n"), 2],
  ["a colon without digits", ascii(":abc\r\n"), 0],
  ["'+' line without CRLF in the peek", ascii("+this line is far longer than the thirty-two byte peek"), 0],
  ["'+' with nothing", ascii("+\r\n"), 0],
  ["binary after '*'", Buffer.from([0x2a, 0x01, 0x02, 0x0d, 0x0a]), 0],
  ["HTTP", ascii("GET / HTTP/1.1\r\n"), 0],
];

describe("in-kernel Redis inference (bpf/protocols/redis.h)", () => {
  const results = runInferenceCheck("redis.h", expression, cases);
  it.each(cases.map(([label, , expected], i) => [label, expected, i] as const))(
    "%s -> %s",
    (_l, expected, i) => {
      expect(results[i]).toBe(expected);
    },
  );
});
