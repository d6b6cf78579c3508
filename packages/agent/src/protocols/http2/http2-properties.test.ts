import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mutatedFixture } from "../testing/request-response-properties.js";
import { clientStart, frame, literalBlock, settings } from "./fixtures/frame-builder.js";
import { loadFixture, replay, summarize } from "./fixtures/replay.js";
import { FrameFlag, FrameType } from "./frame-syntax.js";
import { HpackDecoder } from "./hpack/hpack-decoder.js";

/** Frames of every type with random flags, ids and payloads: reaches deep decoder states. */
const randomFrame = fc
  .tuple(
    fc.integer({ min: 0, max: 11 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 7 }),
    fc.uint8Array({ maxLength: 40 }),
  )
  .map(([type, flags, streamId, payload]) => frame(type, flags, streamId, Buffer.from(payload)));

const frameSoup = fc
  .array(
    fc.oneof(
      randomFrame,
      fc.uint8Array({ maxLength: 12 }).map((bytes) => Buffer.from(bytes)),
    ),
    {
      maxLength: 20,
    },
  )
  .map((parts) => Buffer.concat(parts));

const withPreface = frameSoup.map((bytes) => Buffer.concat([clientStart(), bytes]));

describe("HTTP/2 parser on hostile input", () => {
  it("never throws on arbitrary frames in either direction, whatever the chunking", () => {
    fc.assert(
      fc.property(
        withPreface,
        frameSoup,
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
        withPreface,
        frameSoup,
        fc.integer({ min: 1, max: 16 }),
        (requests, responses, chunkSize) => {
          const whole = replay({ requests, responses }, Math.max(1, requests.length, responses.length));
          const chunked = replay({ requests, responses }, chunkSize);
          expect(chunked.records.map(summarize)).toEqual(whole.records.map(summarize));
          expect(chunked.counters).toEqual(whole.counters);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("survives random byte mutations of a recorded gRPC connection, yielding no more records than it holds", () => {
    const fixture = loadFixture("grpc-unary");
    fc.assert(
      fc.property(mutatedFixture(fixture), fc.integer({ min: 1, max: 64 }), (mutated, chunkSize) => {
        const result = replay(mutated, chunkSize);
        // Stream ids can be mutated into new streams; each HEADERS frame opens at most one.
        expect(result.records.length).toBeLessThanOrEqual(4);
      }),
      { numRuns: 300 },
    );
  });

  it("recovers at the next frames after garbage on the request stream", () => {
    const request = frame(
      FrameType.Headers,
      FrameFlag.EndHeaders | FrameFlag.EndStream,
      1,
      literalBlock([
        [":method", "GET"],
        [":path", "/after-garbage"],
      ]),
    );
    const response = Buffer.concat([
      settings(),
      frame(
        FrameType.Headers,
        FrameFlag.EndHeaders | FrameFlag.EndStream,
        1,
        literalBlock([[":status", "200"]]),
      ),
    ]);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 32 }),
        (noise, chunkSize) => {
          // A PING after the noise gives the resync a frame to chain onto.
          const requests = Buffer.concat([
            clientStart(),
            Buffer.from(noise),
            frame(FrameType.Ping, 0, 0, Buffer.alloc(8, 0x5a)),
            request,
            frame(FrameType.Ping, 0, 0, Buffer.alloc(8, 0x5a)),
          ]);
          const result = replay({ requests, responses: response }, chunkSize);
          const found = result.records.filter((record) => record.target === "/after-garbage");
          expect(found.length).toBeLessThanOrEqual(1);
          // Garbage may swallow the frames (a false frame header whose length covers them), never throw.
          if (found.length === 1) expect(found[0]?.status).toBe(200);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("HPACK never throws on arbitrary blocks, in complete or lost context", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }),
        fc.boolean(),
        (blocks, lost) => {
          const decoder = new HpackDecoder(256);
          if (lost) decoder.loseContext();
          for (const block of blocks) {
            const result = decoder.decode(block);
            expect(["ok", "error"]).toContain(result.status);
            expect(decoder.dynamicTableSize).toBeLessThanOrEqual(2 ** 28 + 2 ** 28 + 32);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
