import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ObservedEnds } from "../../records/observed-ends.js";
import { longestSegment, readTranscript, replayTranscript } from "../testing/transcript.js";
import { mongoExchangeToRecord } from "./mongo-definition.js";
import { type MongoExchange, MongoParser } from "./mongo-parser.js";

// Fixtures built from the wire protocol reference by fixtures/generate-fixtures.ts
// (no MongoDB server runs on these machines).
const here = dirname(fileURLToPath(import.meta.url));
const endpoint = { ip: "127.0.0.1", port: 0, service: "", pid: 0, processName: "" };
const ends: ObservedEnds = { side: "client", client: endpoint, server: endpoint };

function summarize(exchange: MongoExchange) {
  const record = mongoExchangeToRecord(exchange, ends);
  return {
    operation: record.operation,
    target: record.target,
    status: record.status,
    error: record.error,
    errmsg: record.attributes["mongo.errmsg"],
    opcode: record.attributes["mongo.opcode"],
    documents: record.attributes["mongo.sequence.documents"],
    requestBytes: record.requestBytes,
    responseBytes: record.responseBytes,
  };
}

const cases = [
  {
    name: "handshake-find",
    records: [
      { operation: "isMaster", target: "admin", opcode: "OP_QUERY", error: false },
      { operation: "hello", target: "admin", opcode: "OP_MSG" },
      { operation: "find", target: "shop.orders", status: 0, error: false },
    ],
  },
  {
    name: "writes-errors",
    records: [
      { operation: "insert", target: "shop.orders", documents: "2", error: false },
      {
        operation: "aggregate",
        target: "shop.orders",
        status: 40324,
        error: true,
        errmsg: "Unrecognized pipeline stage name: '$bogus'",
      },
      { operation: "insert", target: "shop.events", documents: "1", responseBytes: 0 },
      { operation: "ping", target: "admin" },
    ],
  },
];

describe("MongoDB conversations built from the wire protocol reference", () => {
  for (const expected of cases) {
    describe(expected.name, () => {
      const segments = readTranscript(join(here, "fixtures", `${expected.name}.transcript`));
      const whole = replayTranscript(segments, new MongoParser(), longestSegment(segments));

      it("yields the expected records when replayed whole, every byte accounted for", () => {
        expect(whole.exchanges.map(summarize)).toMatchObject(expected.records);
        expect(whole.counters).toEqual({ parseErrors: 0, streamGaps: 0 });
        const records = whole.exchanges.map(summarize);
        expect(records.reduce((sum, record) => sum + record.requestBytes, 0)).toBe(whole.clientBytes);
        expect(records.reduce((sum, record) => sum + record.responseBytes, 0)).toBe(whole.serverBytes);
      });

      it("yields the same records at every chunk size, byte by byte included", () => {
        const reference = whole.exchanges.map(summarize);
        for (let chunkSize = 1; chunkSize <= longestSegment(segments); chunkSize++) {
          const result = replayTranscript(segments, new MongoParser(), chunkSize);
          expect(result.exchanges.map(summarize), `chunk size ${chunkSize}`).toEqual(reference);
          expect(result.counters.parseErrors, `chunk size ${chunkSize}`).toBe(0);
        }
      });
    });
  }
});
