// Test support: what every recorded request/response fixture (PostgreSQL, MySQL)
// must show when replayed — the expected records, every response byte in one,
// no byte unexplained, the same records at every chunk size, and each record
// stamped from its first request byte to its last response byte.
import { describe, expect, it } from "vitest";
import type { Fixture, ReplayResult } from "./request-response-replay.js";

interface WireExchange {
  request: { wireBytes: number };
  response: { wireBytes: number };
  truncated: boolean;
  startNs: bigint;
  endNs: bigint;
}

export interface FixtureCase {
  name: string;
  records: object[];
  /** Request bytes no record counts (a QUIT or Terminate nobody answers): exactly, or at most. */
  unansweredRequestBytes: number | { atMost: number };
}

export interface FixtureSubject<Exchange> {
  loadFixture: (name: string) => Fixture;
  replay: (fixture: Fixture, chunkSize: number) => ReplayResult<Exchange>;
  summarize: (exchange: Exchange) => unknown;
}

export function describeFixtureReplays<Exchange extends WireExchange>(
  subject: FixtureSubject<Exchange>,
  cases: readonly FixtureCase[],
): void {
  const { loadFixture, replay, summarize } = subject;
  for (const expected of cases) {
    describe(expected.name, () => {
      const fixture = loadFixture(expected.name);
      const longest = Math.max(fixture.requests.length, fixture.responses.length);
      const whole = replay(fixture, longest);

      it("yields the expected records when replayed whole", () => {
        expect(whole.exchanges.map(summarize)).toMatchObject(expected.records);
        expect(whole.exchanges).toHaveLength(expected.records.length);
        expect(whole.counters).toEqual({ parseErrors: 0, streamGaps: 0 });
        expect(whole.exchanges.every((exchange) => !exchange.truncated)).toBe(true);
        const responseBytes = whole.exchanges.reduce((sum, exchange) => sum + exchange.response.wireBytes, 0);
        expect(responseBytes).toBe(fixture.responses.length);
        const requestBytes = whole.exchanges.reduce((sum, exchange) => sum + exchange.request.wireBytes, 0);
        const unanswered = fixture.requests.length - requestBytes;
        const allowed = expected.unansweredRequestBytes;
        if (typeof allowed === "number") expect(unanswered).toBe(allowed);
        else expect(unanswered).toBeLessThanOrEqual(allowed.atMost);
      });

      it("yields the same records at every chunk size, byte by byte included", () => {
        const reference = whole.exchanges.map(summarize);
        for (let chunkSize = 1; chunkSize <= longest; chunkSize++) {
          const result = replay(fixture, chunkSize);
          expect(result.exchanges.map(summarize), `chunk size ${chunkSize}`).toEqual(reference);
          expect(result.counters.parseErrors, `chunk size ${chunkSize}`).toBe(0);
        }
      });

      it("stamps each record from its first request byte to its last response byte", () => {
        const byteByByte = replay(fixture, 1);
        // The replay stamps byte i of the request stream 1_000_000 + i, of the response stream 2_000_000 + i.
        expect(byteByByte.exchanges[0]?.startNs).toBe(1_000_000n);
        expect(byteByByte.exchanges.at(-1)?.endNs).toBe(2_000_000n + BigInt(fixture.responses.length - 1));
      });
    });
  }
}
