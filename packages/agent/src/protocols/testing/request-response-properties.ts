// Test support: the properties a request/response parser (PostgreSQL, MySQL) must
// hold on hostile input, replayed through the shared request/response replay —
// it never throws, chunking never changes its records, a mutated fixture yields
// no more records than it holds, and a response gap costs only the round it hits.
import fc from "fast-check";
import { expect, it } from "vitest";
import type { Fixture, ReplayResult } from "./request-response-replay.js";

export interface RecordFields {
  target: string;
  truncated: boolean;
}

export interface RequestResponseSubject<Exchange> {
  replay: (fixture: Fixture, chunkSize: number) => ReplayResult<Exchange>;
  replayWithResponseGap: (
    fixture: Fixture,
    gap: { start: number; end: number },
    chunkSize: number,
  ) => ReplayResult<Exchange>;
  summarize: (exchange: Exchange) => RecordFields;
}

/** Byte strings of the protocol's own frame pieces mixed with random bytes, so fast-check reaches deep states. */
export function protocolish(fragment: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  return fc
    .array(
      fc.oneof(
        fragment,
        fc.uint8Array({ maxLength: 6 }).map((bytes) => Buffer.from(bytes)),
      ),
      { maxLength: 30 },
    )
    .map((parts) => Buffer.concat(parts));
}

export function itHoldsOnHostileRequestResponseInput<Exchange>(
  subject: RequestResponseSubject<Exchange>,
  bytes: fc.Arbitrary<Buffer>,
): void {
  it("never throws on arbitrary bytes in either direction, whatever the chunking", () => {
    fc.assert(
      fc.property(bytes, bytes, fc.integer({ min: 1, max: 64 }), (requests, responses, chunkSize) => {
        const result = subject.replay({ requests, responses }, chunkSize);
        for (const exchange of result.exchanges) subject.summarize(exchange);
      }),
      { numRuns: 400 },
    );
  });

  it("yields the same records at any chunk size as when replayed whole", () => {
    fc.assert(
      fc.property(bytes, bytes, fc.integer({ min: 1, max: 16 }), (requests, responses, chunkSize) => {
        const whole = subject.replay({ requests, responses }, Math.max(1, requests.length, responses.length));
        const chunked = subject.replay({ requests, responses }, chunkSize);
        expect(chunked.exchanges.map(subject.summarize)).toEqual(whole.exchanges.map(subject.summarize));
        expect(chunked.counters).toEqual(whole.counters);
      }),
      { numRuns: 300 },
    );
  });
}

/** Copies of a recorded fixture with 1 to 8 bytes overwritten, in either direction. */
export function mutatedFixture(fixture: Fixture): fc.Arbitrary<Fixture> {
  return fc
    .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), {
      minLength: 1,
      maxLength: 8,
    })
    .map((mutations) => {
      const requests = Buffer.from(fixture.requests);
      const responses = Buffer.from(fixture.responses);
      for (const [position, value, inRequests] of mutations) {
        const target = inRequests ? requests : responses;
        target[position % target.length] = value;
      }
      return { requests, responses };
    });
}

/** Random byte mutations of a recorded fixture never throw nor invent records. */
export function itSurvivesMutations<Exchange>(
  subject: RequestResponseSubject<Exchange>,
  fixture: Fixture,
  maxRecords: number,
): void {
  it("survives random byte mutations of a recorded fixture, yielding no more records than it holds", () => {
    fc.assert(
      fc.property(mutatedFixture(fixture), fc.integer({ min: 1, max: 64 }), (mutated, chunkSize) => {
        const result = subject.replay(mutated, chunkSize);
        for (const exchange of result.exchanges) subject.summarize(exchange);
        expect(result.exchanges.length).toBeLessThanOrEqual(maxRecords);
      }),
      { numRuns: 300 },
    );
  });
}

export interface ResponseGapCase<Fields> {
  fixture: Fixture;
  /** Response byte range where gaps start (a result's rows), and the statement it answers. */
  start: number;
  end: number;
  target: string;
  /** What the record hit by the gap still says. */
  hitRecord: Partial<Fields>;
}

/**
 * A gap anywhere in a result's rows (a message's header included) costs only that
 * round: its record stays, marked truncated, and every later record is intact.
 */
export function itLosesOnlyTheRoundAGapHits<Exchange, Fields extends RecordFields>(
  subject: RequestResponseSubject<Exchange> & { summarize: (exchange: Exchange) => Fields },
  gapCase: ResponseGapCase<Fields>,
): void {
  it("loses only the round a response gap falls in, and resyncs after it", () => {
    const { fixture } = gapCase;
    const reference = subject.replay(fixture, fixture.responses.length).exchanges.map(subject.summarize);
    const selected = reference.findIndex((record) => record.target === gapCase.target);
    expect(selected).toBeGreaterThanOrEqual(0);
    fc.assert(
      fc.property(
        fc.integer({ min: gapCase.start, max: gapCase.end - 1 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 64 }),
        (start, length, chunkSize) => {
          const gap = { start, end: Math.min(gapCase.end, start + length) };
          const result = subject
            .replayWithResponseGap(fixture, gap, chunkSize)
            .exchanges.map(subject.summarize);
          expect(result.map((record) => record.target)).toEqual(reference.map((record) => record.target));
          expect(result[selected]).toMatchObject({ ...gapCase.hitRecord, truncated: true });
          expect(result.filter((record) => record.truncated)).toHaveLength(1);
          expect(result.slice(selected + 1)).toEqual(reference.slice(selected + 1));
        },
      ),
      { numRuns: 300 },
    );
  });
}
