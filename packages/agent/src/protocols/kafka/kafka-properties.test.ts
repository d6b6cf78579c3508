import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readTranscript, replayTranscript, type Segment } from "../testing/transcript.js";
import { itHoldsOnHostileInput } from "../testing/transcript-properties.js";
import { KafkaParser } from "./kafka-parser.js";
import { API_NAMES } from "./kafka-wire.js";

const here = dirname(fileURLToPath(import.meta.url));
const confirms = readTranscript(join(here, "fixtures", "classic.transcript"));
const consume = readTranscript(join(here, "fixtures", "flexible.transcript"));

const operations = (segments: Segment[], chunkSize: number) =>
  replayTranscript(segments, new KafkaParser(), chunkSize).exchanges.map((exchange) =>
    API_NAMES.get(exchange.request.apiKey),
  );

const kafkaishBytes = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 24 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom(...confirms.map((segment) => segment.bytes.subarray(0, 64))),
      // A size, an api key and version (Produce v9), a compact length, a null string.
      fc.constantFrom(
        Buffer.from([0, 0, 0, 40]),
        Buffer.from([0, 0, 0, 9]),
        Buffer.from([0x81, 1]),
        Buffer.from([0xff, 0xff]),
      ),
    ),
    { maxLength: 12 },
  )
  .map((parts) => Buffer.concat(parts));

describe("Kafka parser on hostile input", () => {
  itHoldsOnHostileInput({
    bytes: kafkaishBytes,
    createParser: () => new KafkaParser(),
    summarize: (exchanges) => exchanges.map((exchange) => API_NAMES.get(exchange.request.apiKey)),
  });

  it("recovers at the next message after garbage", () => {
    // Zeros read as a frame size of 0: garbage the resync must step over.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 32 }), (length, chunkSize) => {
        const garbage = { fromClient: true, bytes: Buffer.alloc(length, 0) };
        const [first, ...rest] = confirms;
        if (first === undefined) throw new Error("fixture is empty");
        const result = replayTranscript([first, garbage, ...rest], new KafkaParser(), chunkSize);
        expect(result.counters.parseErrors).toBeGreaterThan(0);
        expect(result.exchanges.map((exchange) => API_NAMES.get(exchange.request.apiKey))).toEqual([
          "ApiVersions",
          "Metadata",
          "Produce",
          "Produce",
          "Fetch",
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
