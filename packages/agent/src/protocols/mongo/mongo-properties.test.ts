import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readTranscript, replayTranscript } from "../testing/transcript.js";
import {
  bytesLike,
  itHoldsOnHostileInput,
  itRecoversAfterGarbage,
  itSurvivesMutationsOf,
} from "../testing/transcript-properties.js";
import { type MongoExchange, MongoParser } from "./mongo-parser.js";

const here = dirname(fileURLToPath(import.meta.url));
const confirms = readTranscript(join(here, "fixtures", "handshake-find.transcript"));
const consume = readTranscript(join(here, "fixtures", "writes-errors.transcript"));

const mongo = {
  // A header's length and OP_MSG's opCode (2013 = 0x7dd), a BSON length, a section kind.
  bytes: bytesLike(confirms, [
    Buffer.from([0x30, 0, 0, 0]),
    Buffer.from([0xdd, 0x07, 0, 0]),
    Buffer.from([5, 0, 0, 0, 0]),
    Buffer.from([1]),
  ]),
  createParser: () => new MongoParser(),
  summarize: (exchanges: MongoExchange[]) => exchanges.map((exchange) => exchange.request.command),
};

describe("MongoDB parser on hostile input", () => {
  itHoldsOnHostileInput(mongo);
  // Zeros read as a message length of 0.
  itRecoversAfterGarbage(mongo, confirms, (records) =>
    expect(records).toEqual(["isMaster", "hello", "find"]),
  );
  itSurvivesMutationsOf(mongo, consume);
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
