import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inOrder, replay } from "../testing/transcript-replay.js";
import { NatsParser } from "./nats-parser.js";

function run(requests: Buffer, responses: Buffer, chunkSize: number) {
  const result = replay(
    { requests, responses, order: inOrder(requests, responses) },
    chunkSize,
    new NatsParser(),
  );
  return {
    ...result,
    summaries: result.exchanges.map(({ startNs: _start, endNs: _end, ...rest }) => rest),
  };
}

const natsFragment = fc.constantFrom(
  'CONNECT {"verbose":true}\r\n',
  "PUB a 3\r\nabc\r\n",
  "HPUB a r 12 14\r\nNATS/1.0\r\n\r\nhi\r\n",
  "SUB a 1\r\n",
  "UNSUB 1\r\n",
  "MSG a 1 2\r\nhi\r\n",
  "HMSG a 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\n",
  "PING\r\n",
  "PONG\r\n",
  "+OK\r\n",
  "-ERR 'x'\r\n",
  "INFO {}\r\n",
  "PUB ",
  " 9999\r\n",
  "\r\n",
  "\u0000",
);
const natsBytes = fc
  .array(fc.oneof(natsFragment, fc.string({ maxLength: 6 })), { maxLength: 40 })
  .map((parts) => Buffer.from(parts.join(""), "latin1"));

describe("NATS parser on hostile input", () => {
  it("never throws or hangs, and replays the same at any chunk size", () => {
    fc.assert(
      fc.property(natsBytes, natsBytes, fc.integer({ min: 1, max: 16 }), (requests, responses, chunkSize) => {
        const whole = run(requests, responses, Math.max(1, requests.length, responses.length));
        expect(run(requests, responses, chunkSize).summaries).toEqual(whole.summaries);
      }),
      { numRuns: 400 },
    );
  });

  it("recovers at the next publish after garbage", () => {
    const noise = fc
      .uint8Array({ minLength: 1, maxLength: 100 })
      .map((bytes) => Buffer.from(bytes.filter((byte) => byte !== 0x0a)));
    fc.assert(
      fc.property(noise, fc.integer({ min: 1, max: 32 }), (garbage, chunkSize) => {
        const requests = Buffer.concat([
          Buffer.from("\u0001"),
          garbage,
          Buffer.from("\nPUB after.garbage 2\r\nok\r\n"),
        ]);
        const result = run(requests, Buffer.alloc(0), chunkSize);
        expect(result.summaries.at(-1)).toMatchObject({ operation: "PUB", target: "after.garbage" });
      }),
      { numRuns: 300 },
    );
  });

  it("survives mutations of a delivery stream, yielding no more records than messages", () => {
    const responses = "INFO {}\r\nMSG a 1 2\r\nhi\r\nHMSG b 1 12 14\r\nNATS/1.0\r\n\r\nhi\r\n-ERR 'x'\r\n";
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 64 }),
        (mutations, chunkSize) => {
          const mutated = Buffer.from(responses);
          for (const [position, value] of mutations) mutated[position % mutated.length] = value;
          expect(run(Buffer.alloc(0), mutated, chunkSize).exchanges.length).toBeLessThanOrEqual(3);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("maps an HMSG status 503 (no responders) to an error", () => {
    const result = run(Buffer.alloc(0), Buffer.from("HMSG _INBOX.x 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"), 3);
    expect(result.summaries).toMatchObject([{ operation: "MSG", status: 503, error: true }]);
  });
});
