import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ObservedEnds } from "../../records/observed-ends.js";
import { longestSegment, readTranscript, replayTranscript } from "../testing/transcript.js";
import { kafkaExchangeToRecord } from "./kafka-definition.js";
import { type KafkaExchange, KafkaParser } from "./kafka-parser.js";

// Fixtures built from the protocol guide by fixtures/generate-fixtures.ts (no broker runs on these machines).
const here = dirname(fileURLToPath(import.meta.url));
const endpoint = { ip: "127.0.0.1", port: 0, service: "", pid: 0, processName: "" };
const ends: ObservedEnds = { side: "client", client: endpoint, server: endpoint };

function summarize(exchange: KafkaExchange) {
  const record = kafkaExchangeToRecord(exchange, ends);
  return {
    operation: record.operation,
    version: record.attributes["kafka.api_version"],
    target: record.target,
    topics: record.attributes["kafka.topics"],
    partitions: record.attributes["kafka.partitions"],
    acks: record.attributes["kafka.acks"],
    status: record.status,
    error: record.error,
    errorName: record.attributes["kafka.error"],
    requestBytes: record.requestBytes,
    responseBytes: record.responseBytes,
  };
}

const cases = [
  {
    name: "classic",
    records: [
      { operation: "ApiVersions", version: "0", error: false },
      { operation: "Metadata", version: "1", target: "orders" },
      { operation: "Produce", version: "3", target: "orders", partitions: "1", acks: "1", error: false },
      { operation: "Produce", target: "clicks", partitions: "2", acks: "0", responseBytes: 0 },
      { operation: "Fetch", version: "4", target: "orders", partitions: "1", error: false },
    ],
  },
  {
    name: "flexible",
    records: [
      { operation: "ApiVersions", version: "3", error: false },
      {
        operation: "Metadata",
        version: "12",
        target: "payments",
        status: 3,
        errorName: "UNKNOWN_TOPIC_OR_PARTITION",
      },
      { operation: "Produce", version: "9", target: "orders", acks: "-1", error: false },
      {
        operation: "Fetch",
        version: "13",
        target: "XyocPpt9Tg-KayxNHj9aew",
        status: 1,
        errorName: "OFFSET_OUT_OF_RANGE",
      },
    ],
  },
];

describe("Kafka conversations built from the protocol guide", () => {
  for (const expected of cases) {
    describe(expected.name, () => {
      const segments = readTranscript(join(here, "fixtures", `${expected.name}.transcript`));
      const whole = replayTranscript(segments, new KafkaParser(), longestSegment(segments));

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
          const result = replayTranscript(segments, new KafkaParser(), chunkSize);
          expect(result.exchanges.map(summarize), `chunk size ${chunkSize}`).toEqual(reference);
          expect(result.counters.parseErrors, `chunk size ${chunkSize}`).toBe(0);
        }
      });
    });
  }
});
