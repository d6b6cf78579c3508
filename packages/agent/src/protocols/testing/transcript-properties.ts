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
