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
import { type AmqpExchange, AmqpParser } from "./amqp-parser.js";

const here = dirname(fileURLToPath(import.meta.url));
const confirms = readTranscript(join(here, "fixtures", "confirms.transcript"));
const consume = readTranscript(join(here, "fixtures", "publish-consume.transcript"));

const amqp = {
  bytes: bytesLike(confirms, [
    Buffer.from([1, 0, 1, 0, 0, 0, 4]),
    Buffer.from([0xce]),
    Buffer.from("AMQP\0\0\x09\x01"),
  ]),
  createParser: () => new AmqpParser(),
  summarize: (exchanges: AmqpExchange[]) => exchanges.map((exchange) => exchange.command.name),
};

describe("AMQP parser on hostile input", () => {
  itHoldsOnHostileInput(amqp);
  // 0x00 is no frame type and no 'A'.
  itRecoversAfterGarbage(amqp, confirms, (records) =>
    expect(records.filter((name) => name === "basic.publish")).toHaveLength(3),
  );
  itSurvivesMutationsOf(amqp, consume);
});
