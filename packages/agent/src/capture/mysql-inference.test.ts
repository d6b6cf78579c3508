import { describe, expect, it } from "vitest";
import { ascii, type InferenceCase, runInferenceCheck } from "./fixtures/inference-check.js";

// bpf/protocols/mysql.h on the server's greeting. The MariaDB bytes are the
// first ones the local MariaDB 10.11 server sent to a plain TCP connect.
const greeting = (length: number, seq: number, version: string) =>
  Buffer.concat([
    Buffer.from([length & 0xff, (length >> 8) & 0xff, length >> 16, seq, 0x0a]),
    ascii(`${version}\0`),
  ]);
const cases: InferenceCase[] = [
  ["MariaDB 10.11 greeting", ascii("d\0\0\0\n5.5.5-10.11.19-MariaDB-0+deb12u1\0\x14\0"), 1],
  ["MySQL 8.0 greeting", greeting(74, 0, "8.0.36"), 1],
  ["MySQL 11.x-style two-digit major", greeting(80, 0, "11.4.2-MariaDB"), 1],
  ["sequence id 1", greeting(74, 1, "8.0.36"), 0],
  ["protocol version 9", Buffer.concat([Buffer.from([74, 0, 0, 0, 9]), ascii("8.0.36\0")]), 0],
  ["version not starting with a number", greeting(74, 0, "abc"), 0],
  ["too short to be a greeting", greeting(10, 0, "8.0.36"), 0],
  ["an ERR packet (host not allowed)", Buffer.from([0x30, 0, 0, 0, 0xff, 0x6a, 0x04, 0x48, 0x6f]), 0],
  ["HTTP", ascii("HTTP/1.1 200 OK\r\n"), 0],
];

describe("in-kernel MySQL inference (bpf/protocols/mysql.h)", () => {
  const results = runInferenceCheck("mysql.h", "mysql_looks_like_handshake(buf, len)", cases);
  it.each(cases.map(([label, , expected], i) => [label, expected, i] as const))(
    "%s -> %s",
    (_l, expected, i) => {
      expect(results[i]).toBe(expected);
    },
  );
});
