// Test support: the two properties every transcript-replayed parser must hold on
// hostile input — it never throws, and chunking never changes its records.
// Each protocol supplies bytes shaped like its own frames (so fast-check reaches
// deep into the decoder) and what a user reads off its records.
import fc from "fast-check";
import { expect, it } from "vitest";
import { type ExchangeSource, replayTranscript, type Segment } from "./transcript.js";

export interface HostileInputSubject<Exchange> {
  /** Byte strings built from the protocol's own frame pieces and random bytes. */
  bytes: fc.Arbitrary<Buffer>;
  createParser: () => ExchangeSource<Exchange>;
  /** What a user reads off the records of one replay, for comparing chunkings. */
  summarize: (exchanges: Exchange[]) => unknown[];
}

export function itHoldsOnHostileInput<Exchange>(subject: HostileInputSubject<Exchange>): void {
  const conversation = (client: Buffer, server: Buffer): Segment[] => [
    { fromClient: true, bytes: client },
    { fromClient: false, bytes: server },
  ];

  it("never throws on arbitrary bytes, whatever the chunking", () => {
    fc.assert(
      fc.property(
        subject.bytes,
        subject.bytes,
        fc.integer({ min: 1, max: 64 }),
        (client, server, chunkSize) => {
          const segments = conversation(client, server);
          expect(() => replayTranscript(segments, subject.createParser(), chunkSize)).not.toThrow();
        },
      ),
      { numRuns: 400 },
    );
  });

  it("yields the same records at any chunk size as when replayed whole", () => {
    const records = (segments: Segment[], chunkSize: number) =>
      subject.summarize(replayTranscript(segments, subject.createParser(), chunkSize).exchanges);
    fc.assert(
      fc.property(
        subject.bytes,
        subject.bytes,
        fc.integer({ min: 1, max: 16 }),
        (client, server, chunkSize) => {
          const segments = conversation(client, server);
          expect(records(segments, chunkSize)).toEqual(
            records(segments, Math.max(1, client.length, server.length)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
}

/**
 * Random bytes, pieces of a recorded conversation's first 64 bytes per segment,
 * and the protocol's own header fields: input close enough to the protocol to
 * reach deep into its decoder.
 */
export function bytesLike(conversation: readonly Segment[], fields: readonly Buffer[]): fc.Arbitrary<Buffer> {
  return fc
    .array(
      fc.oneof(
        fc.uint8Array({ maxLength: 24 }).map((bytes) => Buffer.from(bytes)),
        fc.constantFrom(...conversation.map((segment) => segment.bytes.subarray(0, 64))),
        fc.constantFrom(...fields),
      ),
      { maxLength: 12 },
    )
    .map((parts) => Buffer.concat(parts));
}

/**
 * Zero bytes after a recorded conversation's first segment (for these protocols
 * a frame size or type of 0, which the resync must step over) are counted as a
 * parse error, and the records after them are what `expectRecords` wants.
 */
export function itRecoversAfterGarbage<Exchange>(
  subject: HostileInputSubject<Exchange>,
  conversation: readonly Segment[],
  expectRecords: (records: unknown[]) => void,
): void {
  it("recovers at the next message after garbage", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 32 }), (length, chunkSize) => {
        const [first, ...rest] = conversation;
        if (first === undefined) throw new Error("conversation is empty");
        const garbage = { fromClient: true, bytes: Buffer.alloc(length, 0) };
        const result = replayTranscript([first, garbage, ...rest], subject.createParser(), chunkSize);
        expect(result.counters.parseErrors).toBeGreaterThan(0);
        expectRecords(subject.summarize(result.exchanges));
      }),
      { numRuns: 200 },
    );
  });
}

/** Changed bytes in a recorded conversation never throw, and add at most one record each. */
export function itSurvivesMutationsOf<Exchange>(
  subject: HostileInputSubject<Exchange>,
  conversation: readonly Segment[],
): void {
  it("survives mutations of a recorded conversation, yielding at most one extra record per changed byte", () => {
    const records = (segments: Segment[], chunkSize: number) =>
      subject.summarize(replayTranscript(segments, subject.createParser(), chunkSize).exchanges).length;
    const reference = records([...conversation], 4096);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 1, max: 512 }),
        (mutations, chunkSize) => {
          const mutated = conversation.map((segment) => ({ ...segment, bytes: Buffer.from(segment.bytes) }));
          for (const [which, position, value] of mutations) {
            const segment = mutated[which % mutated.length];
            if (segment !== undefined && segment.bytes.length > 0)
              segment.bytes[position % segment.bytes.length] = value;
          }
          expect(records(mutated, chunkSize)).toBeLessThanOrEqual(reference + mutations.length);
        },
      ),
      { numRuns: 200 },
    );
  });
}
