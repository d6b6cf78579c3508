import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  itHoldsOnHostileRequestResponseInput,
  itLosesOnlyTheRoundAGapHits,
  itSurvivesMutations,
  protocolish,
} from "../testing/request-response-properties.js";
import * as mysql from "./fixtures/replay.js";

function packet(sequenceId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = sequenceId;
  return Buffer.concat([header, payload]);
}
const VALID_REQUEST = packet(0, Buffer.from("\x03UPDATE items SET name = 'recovered'", "latin1"));
/** OK: affected rows 1, last insert id 0, status autocommit, no warnings. */
const VALID_RESPONSE = packet(1, Buffer.from("00010002000000", "hex"));

const fragment = fc.constantFrom(
  VALID_REQUEST,
  VALID_RESPONSE,
  packet(0, Buffer.from([0x0e])),
  packet(0, Buffer.from([0x17, 1, 0, 0, 0, 0, 1, 0, 0, 0])),
  packet(1, Buffer.from([0x01])),
  packet(2, Buffer.from("fe00000200", "hex")),
  packet(3, Buffer.from("ff7a04233432533032", "hex")),
  Buffer.from("ffffff00", "hex"),
  Buffer.from([0, 0, 0]),
);

/**
 * Client-side garbage the decoder must refuse: it opens with a sequence-0 packet
 * naming no command, and holds no other zero byte, so no command header hides in it.
 */
const requestNoise = fc
  .uint8Array({ maxLength: 200 })
  .map((bytes) =>
    Buffer.concat([Buffer.from([1, 0, 0, 0, 0xee]), Buffer.from(bytes.filter((byte) => byte !== 0))]),
  );

describe("MySQL parser on hostile input", () => {
  itHoldsOnHostileRequestResponseInput(mysql, protocolish(fragment));

  it("recovers at the next command after garbage on the request stream", () => {
    fc.assert(
      fc.property(requestNoise, fc.integer({ min: 1, max: 32 }), (noise, chunkSize) => {
        const requests = Buffer.concat([noise, VALID_REQUEST]);
        const result = mysql.replay({ requests, responses: VALID_RESPONSE }, chunkSize);
        expect(result.exchanges.map(mysql.summarize)).toMatchObject([
          {
            operation: "UPDATE",
            target: "UPDATE items SET name = 'recovered'",
            attributes: { "db.rows": "1" },
          },
        ]);
        expect(result.counters.parseErrors).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  const textQuery = mysql.loadFixture("text-query");
  itLosesOnlyTheRoundAGapHits(mysql, {
    fixture: textQuery,
    // The rows of "SELECT id, name FROM items": from the first row packet to the EOF after "washer".
    start: textQuery.responses.indexOf("bolt") - 7,
    end: textQuery.responses.indexOf("washer") + "washer".length,
    target: "SELECT id, name FROM items ORDER BY id",
    hitRecord: {},
  });

  itSurvivesMutations(mysql, mysql.loadFixture("failing-query"), 7);
});
