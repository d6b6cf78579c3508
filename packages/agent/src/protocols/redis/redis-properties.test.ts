import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inOrder, replay } from "../testing/transcript-replay.js";
import { RedisParser } from "./redis-parser.js";

function run(requests: string | Buffer, responses: string | Buffer, chunkSize: number) {
  const fixture = {
    requests: Buffer.from(requests),
    responses: Buffer.from(responses),
    order: inOrder(Buffer.from(requests), Buffer.from(responses)),
  };
  const result = replay(fixture, chunkSize, new RedisParser());
  return {
    ...result,
    summaries: result.exchanges.map((exchange) => ({
      operation: exchange.command.operation,
      target: exchange.command.target,
      type: exchange.reply.type,
      text: exchange.reply.text,
      length: exchange.reply.length,
      requestBytes: exchange.requestBytes,
      responseBytes: exchange.reply.wireBytes,
    })),
  };
}

const GET = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";

describe("RESP3 types from the specification (RESP3.md), one per reply", () => {
  const vectors: Array<[string, string, number, string]> = [
    ["Boolean", "#t\r\n", 0x23, "t"],
    ["Blob error", "!21\r\nSYNTAX invalid syntax\r\n", 0x21, "SYNTAX invalid syntax"],
    ["Null", "_\r\n", 0x5f, ""],
    ["RESP2 null array", "*-1\r\n", 0x2a, ""],
    ["Double inf", ",inf\r\n", 0x2c, "inf"],
    [
      "Attribute before an array",
      "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n",
      0x2a,
      "",
    ],
    ["Attribute inside an array", "*2\r\n|1\r\n+ttl\r\n:3600\r\n:1\r\n:2\r\n", 0x2a, ""],
    ["Empty map", "%0\r\n", 0x25, ""],
    ["Nested set in a map", "%1\r\n+k\r\n~2\r\n+a\r\n+b\r\n", 0x25, ""],
  ];
  for (const [name, reply, type, text] of vectors) {
    it(name, () => {
      for (const chunkSize of [1, 2, 5, 100]) {
        const result = run(GET + GET, reply + reply, chunkSize);
        expect(result.counters.parseErrors).toBe(0);
        expect(result.summaries).toMatchObject([
          { operation: "GET", target: "k", type, text, responseBytes: reply.length },
          { operation: "GET", target: "k", type, text, responseBytes: reply.length },
        ]);
      }
    });
  }

  it("reads inline commands", () => {
    const result = run("PING\r\nGET key\n", "+PONG\r\n$1\r\nv\r\n", 1);
    expect(result.summaries.map((summary) => [summary.operation, summary.target])).toEqual([
      ["PING", ""],
      ["GET", "key"],
    ]);
  });
});

const respFragment = fc.constantFrom(
  "*2\r\n",
  "*-1\r\n",
  "$3\r\nGET\r\n",
  "$1\r\nk\r\n",
  "$-1\r\n",
  "$5\r\n",
  "+OK\r\n",
  "-ERR x\r\n",
  ":12\r\n",
  "%1\r\n",
  ">3\r\n",
  "|1\r\n",
  "#t\r\n",
  "!3\r\nbad\r\n",
  "=7\r\ntxt:abc\r\n",
  "\r\n",
  "\u0000",
  "PING\n",
);
const respBytes = fc
  .array(fc.oneof(respFragment, fc.string({ maxLength: 6 })), { maxLength: 40 })
  .map((parts) => Buffer.from(parts.join(""), "latin1"));

describe("Redis parser on hostile input", () => {
  it("never throws or hangs, and replays the same at any chunk size", () => {
    fc.assert(
      fc.property(respBytes, respBytes, fc.integer({ min: 1, max: 16 }), (requests, responses, chunkSize) => {
        const whole = run(requests, responses, Math.max(1, requests.length, responses.length));
        const chunked = run(requests, responses, chunkSize);
        expect(chunked.summaries).toEqual(whole.summaries);
      }),
      { numRuns: 400 },
    );
  });

  it("resyncs the same after a bulk string missing its CRLF, whatever arrived with it (found by fast-check)", () => {
    const responses = Buffer.from("$5\r\n$-1\r\n:12\r\n");
    const whole = run(":12\r\n", responses, responses.length);
    expect(run(":12\r\n", responses, 1).summaries).toEqual(whole.summaries);
  });

  it("recovers at the next command and reply after garbage", () => {
    const noise = fc
      .uint8Array({ minLength: 1, maxLength: 100 })
      .map((bytes) => Buffer.from(bytes.filter((byte) => byte !== 0x0a && byte !== 0x0d)));
    fc.assert(
      fc.property(noise, noise, fc.integer({ min: 1, max: 32 }), (requestNoise, replyNoise, chunkSize) => {
        const requests = Buffer.concat([Buffer.from("\u0001"), requestNoise, Buffer.from(`\r\n${GET}`)]);
        const responses = Buffer.concat([Buffer.from("\u0001"), replyNoise, Buffer.from("\r\n$2\r\nok\r\n")]);
        const result = run(requests, responses, chunkSize);
        expect(result.summaries.at(-1)).toMatchObject({ operation: "GET", target: "k", text: "" });
        expect(result.counters.parseErrors).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it("survives mutations of a recorded pipeline, yielding no more records than commands", () => {
    const requests = `${GET}${GET}*3\r\n$4\r\nHSET\r\n$1\r\nh\r\n$1\r\nf\r\n`;
    const responses = "$1\r\na\r\n$-1\r\n-WRONGTYPE Operation against a key\r\n";
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 64 }),
        (mutations, chunkSize) => {
          const mutated = Buffer.from(responses);
          for (const [position, value] of mutations) mutated[position % mutated.length] = value;
          expect(run(requests, mutated, chunkSize).exchanges.length).toBeLessThanOrEqual(3);
        },
      ),
      { numRuns: 300 },
    );
  });
});
