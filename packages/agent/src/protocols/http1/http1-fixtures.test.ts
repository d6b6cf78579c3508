import { describe, expect, it } from "vitest";
import { type Fixture, loadFixture, replay, summarize } from "./fixtures/replay.js";

interface Expected {
  name: string;
  records: Array<{ method: string; target: string; status: number }>;
  /** Every byte belongs to some record (no garbage in the fixture). */
  sizesCoverStreams: boolean;
  parseErrors: number;
}

const cases: Expected[] = [
  {
    name: "keep-alive",
    records: [
      { method: "GET", target: "/first", status: 200 },
      { method: "GET", target: "/fixed", status: 200 },
    ],
    sizesCoverStreams: true,
    parseErrors: 0,
  },
  {
    name: "chunked-trailers",
    records: [{ method: "GET", target: "/chunked?x=1", status: 200 }],
    sizesCoverStreams: true,
    parseErrors: 0,
  },
  {
    name: "expect-continue",
    records: [{ method: "POST", target: "/upload", status: 201 }],
    sizesCoverStreams: true,
    parseErrors: 0,
  },
  {
    name: "head",
    records: [{ method: "HEAD", target: "/head-me", status: 200 }],
    sizesCoverStreams: true,
    parseErrors: 0,
  },
  {
    name: "not-modified",
    records: [{ method: "GET", target: "/cached", status: 304 }],
    sizesCoverStreams: true,
    parseErrors: 0,
  },
  {
    name: "pipelined",
    records: [
      { method: "GET", target: "/one", status: 200 },
      { method: "GET", target: "/missing", status: 404 },
      { method: "POST", target: "/upload", status: 201 },
    ],
    sizesCoverStreams: true,
    parseErrors: 0,
  },
  {
    name: "close-delimited",
    records: [{ method: "GET", target: "/stream", status: 200 }],
    sizesCoverStreams: true,
    parseErrors: 0,
  },
  {
    name: "malformed",
    records: [
      { method: "GET", target: "/ok", status: 200 },
      { method: "POST", target: "/after-garbage", status: 202 },
    ],
    sizesCoverStreams: false,
    // Requests: the binary garbage and the header line without a colon; responses: "banana".
    parseErrors: 3,
  },
];

function totalLength(fixture: Fixture): number {
  return Math.max(fixture.requests.length, fixture.responses.length);
}

describe("HTTP/1 fixtures recorded on loopback", () => {
  for (const expected of cases) {
    describe(expected.name, () => {
      const fixture = loadFixture(expected.name);
      const whole = replay(fixture, totalLength(fixture));

      it("yields the expected records when replayed whole", () => {
        expect(whole.exchanges.map((exchange) => summarize(exchange))).toMatchObject(expected.records);
        expect(whole.counters.parseErrors).toBe(expected.parseErrors);
        expect(whole.exchanges.every((exchange) => !exchange.truncated)).toBe(true);
        if (expected.sizesCoverStreams) {
          const requestBytes = whole.exchanges.reduce((sum, exchange) => sum + exchange.request.wireBytes, 0);
          const responseBytes = whole.exchanges.reduce(
            (sum, exchange) => sum + exchange.response.wireBytes,
            0,
          );
          expect(requestBytes).toBe(fixture.requests.length);
          expect(responseBytes).toBe(fixture.responses.length);
        }
      });

      it("yields the same records at every chunk size, byte by byte included", () => {
        const reference = whole.exchanges.map((exchange) => summarize(exchange));
        for (let chunkSize = 1; chunkSize <= totalLength(fixture); chunkSize++) {
          const result = replay(fixture, chunkSize);
          expect(
            result.exchanges.map((exchange) => summarize(exchange)),
            `chunk size ${chunkSize}`,
          ).toEqual(reference);
          expect(result.counters.parseErrors, `chunk size ${chunkSize}`).toBe(expected.parseErrors);
        }
      });

      it("stamps each record from its first request byte to its last response byte", () => {
        const byteByByte = replay(fixture, 1);
        const last = byteByByte.exchanges[byteByByte.exchanges.length - 1];
        const first = byteByByte.exchanges[0];
        // replay() stamps byte i of the request stream 1_000_000 + i, of the response stream 2_000_000 + i.
        expect(first?.startNs).toBe(
          1_000_000n + BigInt(fixture.requests.indexOf(expected.records[0]?.method ?? "")),
        );
        if (expected.sizesCoverStreams)
          expect(last?.endNs).toBe(2_000_000n + BigInt(fixture.responses.length - 1));
      });
    });
  }
});
