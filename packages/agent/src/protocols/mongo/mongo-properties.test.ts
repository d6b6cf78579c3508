import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readTranscript, replayTranscript, type Segment } from "../testing/transcript.js";
import { itHoldsOnHostileInput } from "../testing/transcript-properties.js";
import { MongoParser } from "./mongo-parser.js";

const here = dirname(fileURLToPath(import.meta.url));
const confirms = readTranscript(join(here, "fixtures", "handshake-find.transcript"));
const consume = readTranscript(join(here, "fixtures", "writes-errors.transcript"));

const operations = (segments: Segment[], chunkSize: number) =>
  replayTranscript(segments, new MongoParser(), chunkSize).exchanges.map(
    (exchange) => exchange.request.command,
  );

const mongoishBytes = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 24 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom(...confirms.map((segment) => segment.bytes.subarray(0, 64))),
      // A header's length and OP_MSG's opCode (2013 = 0x7dd), a BSON length, a section kind.
      fc.constantFrom(
        Buffer.from([0x30, 0, 0, 0]),
        Buffer.from([0xdd, 0x07, 0, 0]),
        Buffer.from([5, 0, 0, 0, 0]),
        Buffer.from([1]),
      ),
    ),
    { maxLength: 12 },
  )
  .map((parts) => Buffer.concat(parts));

describe("MongoDB parser on hostile input", () => {
  itHoldsOnHostileInput({
    bytes: mongoishBytes,
    createParser: () => new MongoParser(),
    summarize: (exchanges) => exchanges.map((exchange) => exchange.request.command),
  });

  it("recovers at the next message after garbage", () => {
    // Zeros read as a message length of 0: garbage the resync must step over.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 32 }), (length, chunkSize) => {
        const garbage = { fromClient: true, bytes: Buffer.alloc(length, 0) };
        const [first, ...rest] = confirms;
        if (first === undefined) throw new Error("fixture is empty");
        const result = replayTranscript([first, garbage, ...rest], new MongoParser(), chunkSize);
        expect(result.counters.parseErrors).toBeGreaterThan(0);
        expect(result.exchanges.map((exchange) => exchange.request.command)).toEqual([
          "isMaster",
          "hello",
          "find",
        ]);
      }),
      { numRuns: 200 },
    );
  });

  it("survives mutations of a recorded conversation, yielding at most one extra record per changed byte", () => {
    const reference = operations(consume, 4096).length;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 1, max: 512 }),
        (mutations, chunkSize) => {
          const mutated = consume.map((segment) => ({ ...segment, bytes: Buffer.from(segment.bytes) }));
          for (const [which, position, value] of mutations) {
            const segment = mutated[which % mutated.length];
            if (segment !== undefined && segment.bytes.length > 0)
              segment.bytes[position % segment.bytes.length] = value;
          }
          expect(operations(mutated, chunkSize).length).toBeLessThanOrEqual(reference + mutations.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("MongoDB messages larger than the decoded prefix", () => {
  it("streams a 40 KB insert past without buffering it, keeping the command, at any chunk size", () => {
    const [insert, reply] = readTranscript(join(here, "fixtures", "writes-errors.transcript"));
    if (insert === undefined || reply === undefined) throw new Error("fixture is short");
    // The recorded insert (checksum flag) with its sequence's first document padded by a
    // 40 KB string field; lengths patched: document, sequence, message.
    const big = Buffer.alloc(40_000, 0x61);
    const padding = Buffer.concat([Buffer.from([0x02, 0x70, 0]), Buffer.alloc(4), big, Buffer.from([0])]);
    padding.writeInt32LE(big.length + 1, 3);
    const sequenceAt = insert.bytes.indexOf("documents") - 5;
    const documentAt = sequenceAt + 5 + "documents".length + 1;
    const documentEnd = documentAt + insert.bytes.readInt32LE(documentAt) - 1;
    const grown = Buffer.concat([
      insert.bytes.subarray(0, documentEnd),
      padding,
      insert.bytes.subarray(documentEnd),
    ]);
    grown.writeInt32LE(grown.readInt32LE(documentAt) + padding.length, documentAt);
    grown.writeInt32LE(grown.readInt32LE(sequenceAt + 1) + padding.length, sequenceAt + 1);
    grown.writeInt32LE(grown.length, 0);
    for (const chunkSize of [1, 7, 4096, grown.length]) {
      const result = replayTranscript(
        [{ fromClient: true, bytes: grown }, reply],
        new MongoParser(),
        chunkSize,
      );
      expect(result.counters.parseErrors).toBe(0);
      expect(
        result.exchanges.map((exchange) => [exchange.request.command, exchange.request.partial]),
      ).toEqual([["insert", true]]);
      expect(result.exchanges[0]?.request.wireBytes).toBe(grown.length);
    }
  });
});
