import { describe, expect, it } from "vitest";
import { ascii, be16, type InferenceCase, runInferenceCheck } from "./fixtures/inference-check.js";

// bpf/protocols/dns.h. A query for example.com A with RD set, as dig and
// Node's resolver build it (RFC 1035 section 4.1), and its answer.
const question = Buffer.concat([ascii("\x07example\x03com\x00"), be16(1), be16(1)]);
const header = (flags: number, qd: number, an: number, ns: number, ar: number) =>
  Buffer.concat([be16(0x1234), be16(flags), be16(qd), be16(an), be16(ns), be16(ar)]);
const query = Buffer.concat([header(0x0100, 1, 0, 0, 0), question]);
const queryEdns = Buffer.concat([header(0x0120, 1, 0, 0, 1), question]);
const answer = Buffer.concat([header(0x8180, 1, 1, 0, 0), question, Buffer.alloc(16)]);
const nxdomain = Buffer.concat([header(0x8183, 1, 0, 1, 0), question]);
const tcp = (message: Buffer) => Buffer.concat([be16(message.length), message]);

// 1 = a UDP datagram check passes, 2 = a TCP stream check passes.
const expression = "dns_looks_like_datagram(buf, len, size) ? 1 : dns_looks_like_stream(buf, len) ? 2 : 0";
const cases: InferenceCase[] = [
  ["UDP query", query, 1],
  ["UDP query with EDNS OPT (AD bit)", queryEdns, 1],
  ["UDP answer", answer, 1],
  ["UDP NXDOMAIN", nxdomain, 1],
  ["TCP query (length prefix)", tcp(query), 2],
  ["TCP answer", tcp(answer), 2],
  ["opcode 2 (STATUS)", Buffer.concat([header(0x1100, 1, 0, 0, 0), question]), 0],
  ["Z bit set", Buffer.concat([header(0x0140, 1, 0, 0, 0), question]), 0],
  ["no question", Buffer.concat([header(0x0100, 0, 0, 0, 0), question]), 0],
  ["query with answers", Buffer.concat([header(0x0100, 1, 3, 0, 0), question]), 0],
  ["query with an RCODE", Buffer.concat([header(0x0105, 1, 0, 0, 0), question]), 0],
  ["first label longer than 63", Buffer.concat([header(0x0100, 1, 0, 0, 0), ascii("\x50"), question]), 0],
  ["header only (too short)", header(0x0100, 1, 0, 0, 0), 0],
  ["HTTP", ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0],
  [
    "TLS ClientHello",
    Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, ...new Array(20).fill(7)]),
    0,
  ],
];

describe("in-kernel DNS inference (bpf/protocols/dns.h)", () => {
  const results = runInferenceCheck("dns.h", expression, cases);
  it.each(cases.map(([label, , expected], i) => [label, expected, i] as const))(
    "%s -> %s",
    (_l, expected, i) => {
      expect(results[i]).toBe(expected);
    },
  );
});
