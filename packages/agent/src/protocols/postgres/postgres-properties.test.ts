import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  itHoldsOnHostileRequestResponseInput,
  itLosesOnlyTheRoundAGapHits,
  itSurvivesMutations,
  protocolish,
} from "../testing/request-response-properties.js";
import * as postgres from "./fixtures/replay.js";

// A whole round on the wire: Query, then RowDescription, DataRow, CommandComplete, ReadyForQuery.
function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
const VALID_REQUEST = message("Q", Buffer.from("SELECT 'recovered'\0"));
const VALID_RESPONSE = Buffer.concat([
  message("T", Buffer.from("0001", "hex")),
  message("D", Buffer.from("0001000000016b", "hex")),
  message("C", Buffer.from("SELECT 1\0")),
  message("Z", Buffer.from("I")),
]);

/** Fragments that make random input look like the protocol often enough to reach deep states. */
const fragment = fc.constantFrom(
  ...["Q", "P", "B", "E", "S", "D", "T", "C", "Z", "R", "N", "p", "X"].map((letter) => Buffer.from(letter)),
  Buffer.from("00000004", "hex"),
  Buffer.from("00000005", "hex"),
  Buffer.from("0000000549", "hex"),
  Buffer.from("0000000804d2162f", "hex"),
  Buffer.from("0000000900030000", "hex"),
  Buffer.from("00000010", "hex"),
  Buffer.from("7fffffff", "hex"),
  Buffer.from("SELECT 1\0"),
  VALID_REQUEST,
  VALID_RESPONSE,
);

/**
 * Garbage that cannot hide a frame: a leading 0xff is no message type, and with
 * no zero byte no length field in it is under the resync bound (2^24).
 */
const noise = fc
  .uint8Array({ minLength: 0, maxLength: 200 })
  .map((bytes) => Buffer.concat([Buffer.from([0xff]), Buffer.from(bytes.filter((byte) => byte !== 0))]));

describe("PostgreSQL parser on hostile input", () => {
  itHoldsOnHostileRequestResponseInput(postgres, protocolish(fragment));

  it("recovers at the next message after garbage on either stream", () => {
    fc.assert(
      fc.property(noise, noise, fc.integer({ min: 1, max: 32 }), (requestNoise, responseNoise, chunkSize) => {
        const result = postgres.replay(
          {
            requests: Buffer.concat([requestNoise, VALID_REQUEST]),
            responses: Buffer.concat([responseNoise, VALID_RESPONSE]),
          },
          chunkSize,
        );
        expect(result.exchanges.map(postgres.summarize)).toMatchObject([
          { operation: "SELECT", target: "SELECT 'recovered'", status: 0, attributes: { "db.rows": "1" } },
        ]);
        expect(result.counters.parseErrors).toBe(2);
      }),
      { numRuns: 300 },
    );
  });

  const simpleQuery = postgres.loadFixture("simple-query");
  itLosesOnlyTheRoundAGapHits(postgres, {
    fixture: simpleQuery,
    // The DataRows of "SELECT id, name FROM items ORDER BY id".
    start: simpleQuery.responses.indexOf("bolt") - 16,
    end: simpleQuery.responses.indexOf("washer") + "washer".length,
    target: "SELECT id, name FROM items ORDER BY id",
    // The row count comes from CommandComplete, after the rows: the gap does not hide it.
    hitRecord: { attributes: { "db.rows": "3" } },
  });

  itSurvivesMutations(postgres, postgres.loadFixture("failing-query"), 4);
});
