import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readTranscript, replayTranscript, type Segment } from "../testing/transcript.js";
import { itHoldsOnHostileInput } from "../testing/transcript-properties.js";
import { AmqpParser } from "./amqp-parser.js";

const here = dirname(fileURLToPath(import.meta.url));
const confirms = readTranscript(join(here, "fixtures", "confirms.transcript"));
const consume = readTranscript(join(here, "fixtures", "publish-consume.transcript"));

const operations = (segments: Segment[], chunkSize: number) =>
  replayTranscript(segments, new AmqpParser(), chunkSize).exchanges.map((exchange) => exchange.command.name);

const amqpishBytes = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 24 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom(...confirms.map((segment) => segment.bytes.subarray(0, 64))),
      fc.constantFrom(
        Buffer.from([1, 0, 1, 0, 0, 0, 4]),
        Buffer.from([0xce]),
        Buffer.from("AMQP\0\0\x09\x01"),
      ),
    ),
    { maxLength: 12 },
  )
  .map((parts) => Buffer.concat(parts));

describe("AMQP parser on hostile input", () => {
  itHoldsOnHostileInput({
    bytes: amqpishBytes,
    createParser: () => new AmqpParser(),
    summarize: (exchanges) => exchanges.map((exchange) => exchange.command.name),
  });

  it("recovers at the next frame after garbage", () => {
    // 0x00 is no frame type and no 'A': garbage the resync must step over.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 32 }), (length, chunkSize) => {
        const garbage = { fromClient: true, bytes: Buffer.alloc(length, 0) };
        const [first, ...rest] = confirms;
        if (first === undefined) throw new Error("fixture is empty");
        const result = replayTranscript([first, garbage, ...rest], new AmqpParser(), chunkSize);
        expect(result.counters.parseErrors).toBeGreaterThan(0);
        expect(result.exchanges.filter((exchange) => exchange.command.name === "basic.publish")).toHaveLength(
          3,
        );
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
