import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect } from "vitest";
import { readTranscript } from "../testing/transcript.js";
import {
  bytesLike,
  itHoldsOnHostileInput,
  itRecoversAfterGarbage,
  itSurvivesMutationsOf,
} from "../testing/transcript-properties.js";
import { type KafkaExchange, KafkaParser } from "./kafka-parser.js";
import { API_NAMES } from "./kafka-wire.js";

const here = dirname(fileURLToPath(import.meta.url));
const confirms = readTranscript(join(here, "fixtures", "classic.transcript"));
const consume = readTranscript(join(here, "fixtures", "flexible.transcript"));

const kafka = {
  // A size, an api key and version (Produce v9), a compact length, a null string.
  bytes: bytesLike(confirms, [
    Buffer.from([0, 0, 0, 40]),
    Buffer.from([0, 0, 0, 9]),
    Buffer.from([0x81, 1]),
    Buffer.from([0xff, 0xff]),
  ]),
  createParser: () => new KafkaParser(),
  summarize: (exchanges: KafkaExchange[]) =>
    exchanges.map((exchange) => API_NAMES.get(exchange.request.apiKey)),
};

describe("Kafka parser on hostile input", () => {
  itHoldsOnHostileInput(kafka);
  // Zeros read as a frame size of 0.
  itRecoversAfterGarbage(kafka, confirms, (records) =>
    expect(records).toEqual(["ApiVersions", "Metadata", "Produce", "Produce", "Fetch"]),
  );
  itSurvivesMutationsOf(kafka, consume);
});
