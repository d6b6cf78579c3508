import { describe, expect, it } from "vitest";
import { ascii, be32, type InferenceCase, runInferenceCheck } from "./fixtures/inference-check.js";

// bpf/protocols/postgres.h on the client's first message.
const startupBody = ascii("user\0periscope\0database\0periscope\0\0");
const startup = (code: number) => Buffer.concat([be32(8 + startupBody.length), be32(code), startupBody]);
const cases: InferenceCase[] = [
  ["StartupMessage 3.0 (what pg sends)", startup(196608), 1],
  ["StartupMessage 3.2 (PostgreSQL 18)", startup(196610), 1],
  ["SSLRequest", Buffer.concat([be32(8), be32(80877103)]), 1],
  ["GSSENCRequest", Buffer.concat([be32(8), be32(80877104)]), 1],
  ["CancelRequest", Buffer.concat([be32(16), be32(80877102), be32(1234), be32(5678)]), 1],
  ["protocol 2.0", startup(131072), 0],
  ["SSLRequest with a wrong length", Buffer.concat([be32(12), be32(80877103), be32(0)]), 0],
  ["absurd startup length", Buffer.concat([be32(1 << 20), be32(196608), startupBody]), 0],
  ["a Query message (not a first message)", Buffer.concat([ascii("Q"), be32(13), ascii("SELECT 1\0")]), 0],
  ["only four bytes", be32(8), 0],
  ["HTTP", ascii("GET / HTTP/1.1\r\n"), 0],
];

describe("in-kernel PostgreSQL inference (bpf/protocols/postgres.h)", () => {
  const results = runInferenceCheck("postgres.h", "postgres_looks_like_startup(buf, len)", cases);
  it.each(cases.map(([label, , expected], i) => [label, expected, i] as const))(
    "%s -> %s",
    (_l, expected, i) => {
      expect(results[i]).toBe(expected);
    },
  );
});
