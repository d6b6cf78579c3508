import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readTranscript, replayTranscript, type Segment } from "../testing/transcript.js";
import { DnsParser } from "./dns-parser.js";

const here = dirname(fileURLToPath(import.meta.url));
const udp = readTranscript(join(here, "fixtures", "udp-queries.transcript"));
const tcp = readTranscript(join(here, "fixtures", "tcp-fallback.tcp.transcript"));

const targets = (segments: Segment[], chunkSize: number) =>
  replayTranscript(segments, new DnsParser(), chunkSize).exchanges.map(
    (exchange) => exchange.query.question?.name,
  );

/** Random bytes, and pieces of real messages, so the parser reaches its deep states. */
const dnsishBytes = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 24 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom(...udp.map((segment) => segment.bytes)),
      fc.constantFrom(
        Buffer.from([0xc0, 0x0c]),
        Buffer.from([0xc0, 0x00]),
        Buffer.from([0x3f]),
        Buffer.from([0, 1]),
      ),
    ),
    { maxLength: 12 },
  )
  .map((parts) => Buffer.concat(parts));

describe("DNS parser on hostile input", () => {
  it("never throws on arbitrary bytes in either direction, whatever the chunking", () => {
    fc.assert(
      fc.property(
        dnsishBytes,
        dnsishBytes,
        fc.integer({ min: 1, max: 64 }),
        (queries, answers, chunkSize) => {
          const segments = [
            { fromClient: true, bytes: queries },
            { fromClient: false, bytes: answers },
          ];
          expect(() => replayTranscript(segments, new DnsParser(), chunkSize)).not.toThrow();
        },
      ),
      { numRuns: 400 },
    );
  });

  it("yields the same records at any chunk size as when replayed whole", () => {
    fc.assert(
      fc.property(
        dnsishBytes,
        dnsishBytes,
        fc.integer({ min: 1, max: 16 }),
        (queries, answers, chunkSize) => {
          const segments = [
            { fromClient: true, bytes: queries },
            { fromClient: false, bytes: answers },
          ];
          const whole = Math.max(1, queries.length, answers.length);
          expect(targets(segments, chunkSize)).toEqual(targets(segments, whole));
        },
      ),
      { numRuns: 300 },
    );
  });

  // Before any message has settled the framing, two bytes in front of a header
  // read as a TCP length prefix, so recovery is only promised once it is known.
  it("recovers at the next message after garbage", () => {
    // Bytes 0x80-0xff never hold QDCOUNT=1, so noise cannot pass for a header.
    const noise = fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((bytes) => Buffer.from(bytes.map((b) => b | 0x80)));
    fc.assert(
      fc.property(noise, fc.integer({ min: 1, max: 32 }), (garbage, chunkSize) => {
        // The first exchange settles the framing (UDP); garbage then precedes the second.
        const [query, answer, nextQuery, nextAnswer] = udp;
        if (
          query === undefined ||
          answer === undefined ||
          nextQuery === undefined ||
          nextAnswer === undefined
        )
          throw new Error("fixture is short");
        const segments = [
          query,
          answer,
          { fromClient: true, bytes: Buffer.concat([garbage, nextQuery.bytes]) },
          { fromClient: false, bytes: Buffer.concat([garbage, nextAnswer.bytes]) },
        ];
        const result = replayTranscript(segments, new DnsParser(), chunkSize);
        expect(result.exchanges.map((exchange) => exchange.query.question?.type)).toEqual([1, 28]);
        expect(result.counters.parseErrors).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it("survives mutations of recorded messages, yielding no more records than there were queries", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(udp, tcp),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 1, max: 64 }),
        (segments, mutations, chunkSize) => {
          const mutated = segments.map((segment) => ({ ...segment, bytes: Buffer.from(segment.bytes) }));
          for (const [which, position, value] of mutations) {
            const segment = mutated[which % mutated.length];
            if (segment !== undefined && segment.bytes.length > 0)
              segment.bytes[position % segment.bytes.length] = value;
          }
          const queries = segments.filter((segment) => segment.fromClient).length;
          expect(targets(mutated, chunkSize).length).toBeLessThanOrEqual(queries);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("stops at a compression pointer loop instead of following it", () => {
    // Header (one question), then a name that is a pointer to itself at offset 12.
    const header = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    const loop = Buffer.concat([header, Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]);
    const result = replayTranscript([{ fromClient: true, bytes: loop }], new DnsParser(), loop.length);
    expect(result.counters.parseErrors).toBeGreaterThan(0);
  });
});
