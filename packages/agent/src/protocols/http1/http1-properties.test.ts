import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadFixture, replay, summarize } from "./fixtures/replay.js";

const VALID_REQUEST = "GET /valid HTTP/1.1\r\nHost: recovered\r\n\r\n";
const VALID_RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

/** Fragments that make random input look like HTTP often enough to reach deep parser states. */
const httpishFragment = fc.constantFrom(
  "GET ",
  "POST /",
  "HTTP/1.1",
  "HTTP/1.0 ",
  " 200 ",
  "\r\n",
  "\r\n\r\n",
  "Content-Length: ",
  "Transfer-Encoding: chunked",
  "Connection: upgrade\r\nUpgrade: x",
  "0\r\n",
  "ff\r\n",
  "12",
  ":",
  "\u0000",
  "\u00ff",
);

const httpishBytes = fc
  .array(fc.oneof(httpishFragment, fc.string({ maxLength: 8 })), { maxLength: 40 })
  .map((parts) => Buffer.from(parts.join(""), "latin1"));

/** Garbage that cannot complete an HTTP head: no CR or LF in it. */
const lineNoise = fc
  .uint8Array({ minLength: 1, maxLength: 200 })
  .map((bytes) => Buffer.from(bytes.filter((byte) => byte !== 0x0d && byte !== 0x0a)));

describe("HTTP/1 parser on hostile input", () => {
  it("never throws on arbitrary bytes in either direction, whatever the chunking", () => {
    fc.assert(
      fc.property(
        httpishBytes,
        httpishBytes,
        fc.integer({ min: 1, max: 64 }),
        (requests, responses, chunkSize) => {
          const result = replay({ requests, responses }, chunkSize);
          expect(result.counters.parseErrors).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("yields the same records at any chunk size as when replayed whole", () => {
    fc.assert(
      fc.property(
        httpishBytes,
        httpishBytes,
        fc.integer({ min: 1, max: 16 }),
        (requests, responses, chunkSize) => {
          const whole = replay({ requests, responses }, Math.max(1, requests.length, responses.length));
          const chunked = replay({ requests, responses }, chunkSize);
          expect(chunked.exchanges.map((exchange) => summarize(exchange))).toEqual(
            whole.exchanges.map((exchange) => summarize(exchange)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("recovers at the next valid request after garbage on the request stream", () => {
    fc.assert(
      fc.property(lineNoise, fc.integer({ min: 1, max: 32 }), (noise, chunkSize) => {
        const requests = Buffer.concat([noise, Buffer.from(`\r\n${VALID_REQUEST}`)]);
        const result = replay({ requests, responses: Buffer.from(VALID_RESPONSE) }, chunkSize);
        expect(result.exchanges.map((exchange) => summarize(exchange))).toMatchObject([
          { method: "GET", target: "/valid", host: "recovered", status: 200 },
        ]);
      }),
      { numRuns: 300 },
    );
  });

  it("recovers at the next valid response after garbage on the response stream", () => {
    fc.assert(
      fc.property(lineNoise, fc.integer({ min: 1, max: 32 }), (noise, chunkSize) => {
        const responses = Buffer.concat([noise, Buffer.from(`\r\n${VALID_RESPONSE}`)]);
        const result = replay({ requests: Buffer.from(VALID_REQUEST), responses }, chunkSize);
        expect(result.exchanges.map((exchange) => exchange.response.head.status)).toEqual([200]);
      }),
      { numRuns: 300 },
    );
  });

  it("survives random byte mutations of a recorded fixture, yielding no more records than it holds", () => {
    const fixture = loadFixture("keep-alive");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 64 }),
        (mutations, chunkSize) => {
          const responses = Buffer.from(fixture.responses);
          for (const [position, value] of mutations) responses[position % responses.length] = value;
          const result = replay({ requests: fixture.requests, responses }, chunkSize);
          expect(result.exchanges.length).toBeLessThanOrEqual(2);
        },
      ),
      { numRuns: 300 },
    );
  });
});
