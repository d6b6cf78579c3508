import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Fixture, inOrder, loadFixture, replay } from "../testing/transcript-replay.js";
import { MqttParser } from "./mqtt-parser.js";

function run(fixture: Fixture, chunkSize: number) {
  const result = replay(fixture, chunkSize, new MqttParser());
  return { ...result, summaries: result.exchanges.map(({ startNs: _start, endNs: _end, ...rest }) => rest) };
}

const packets = fc.constantFrom(
  "102c00044d5154540502003c0e15000b534352414d2d5348412d3100117065",
  "20020000",
  "3006000161616263",
  "320900016100016869",
  "40020001",
  "50020002",
  "62020002",
  "70020002",
  "820600010001610190030001018002",
  "a20500010001",
  "b0020001",
  "c000",
  "d000",
  "e000",
  "ff",
  "00",
  "3ffffffff7",
);
const mqttBytes = fc
  .array(
    fc.oneof(
      packets,
      fc.uint8Array({ maxLength: 6 }).map((bytes) => Buffer.from(bytes).toString("hex")),
    ),
    {
      maxLength: 30,
    },
  )
  .map((parts) => Buffer.from(parts.join(""), "hex"));

describe("MQTT parser on hostile input", () => {
  it("never throws or hangs, and replays the same at any chunk size", () => {
    fc.assert(
      fc.property(mqttBytes, mqttBytes, fc.integer({ min: 1, max: 16 }), (requests, responses, chunkSize) => {
        const fixture = { requests, responses, order: inOrder(requests, responses) };
        const whole = run(fixture, Math.max(1, requests.length, responses.length));
        expect(run(fixture, chunkSize).summaries).toEqual(whole.summaries);
      }),
      { numRuns: 400 },
    );
  });

  it("survives mutations of a recorded session, yielding no more records than it holds", () => {
    const fixture = loadFixture(new URL("./fixtures", import.meta.url).pathname, "v5");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        (mutations, mutateRequests, chunkSize) => {
          const requests = Buffer.from(fixture.requests);
          const responses = Buffer.from(fixture.responses);
          const target = mutateRequests ? requests : responses;
          for (const [position, value] of mutations) target[position % target.length] = value;
          const result = run({ requests, responses, order: fixture.order }, chunkSize);
          expect(result.exchanges.length).toBeLessThanOrEqual(12);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("recovers after a garbage byte at the next well-formed packet", () => {
    const requests = Buffer.from("ff" + "c000" + "3006000161616263", "hex");
    const result = run(
      {
        requests,
        responses: Buffer.from("d000", "hex"),
        order: inOrder(requests, Buffer.from("d000", "hex")),
      },
      1,
    );
    expect(result.counters.parseErrors).toBe(1);
    expect(result.summaries.map((summary) => summary.operation)).toEqual(["PUBLISH", "PINGREQ"]);
  });
});
