import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type Fixture, loadFixture, longestRead, replay } from "../testing/transcript-replay.js";
import { type MqttExchange, MqttParser } from "./mqtt-parser.js";

const folder = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

/** Everything but timestamps, which name the chunk a byte came in and so depend on the chunking. */
function exchanges(fixture: Fixture, chunkSize: number): Array<Omit<MqttExchange, "startNs" | "endNs">> {
  const result = replay(fixture, chunkSize, new MqttParser());
  expect(result.counters.parseErrors, `chunk size ${chunkSize}`).toBe(0);
  return result.exchanges.map(({ startNs: _start, endNs: _end, ...rest }) => rest);
}

type Row = [operation: string, target: string, status: number, error: boolean, direction: string | undefined];

/** mqtt.js subscribes at QoS 1 and 2, publishes at QoS 0, 1 and 2 (the broker delivers the last two back), unsubscribes, disconnects. */
const session = (unsubscribeStatus: number): Row[] => [
  ["CONNECT", "periscope-fixture", 0, false, undefined],
  // SUBACK grants QoS 1 and 2: the status is the first filter's.
  ["SUBSCRIBE", "fixture/qos1", 1, false, undefined],
  ["PUBLISH", "fixture/qos0", 0, false, "client-to-server"],
  ["PUBLISH", "fixture/qos1", 0, false, "server-to-client"],
  ["PUBLISH", "fixture/qos1", 0, false, "client-to-server"],
  ["PUBLISH", "fixture/qos2", 0, false, "client-to-server"],
  ["PUBLISH", "fixture/qos2", 0, false, "server-to-client"],
  ["UNSUBSCRIBE", "fixture/qos1", unsubscribeStatus, false, undefined],
  ["DISCONNECT", "", 0, false, undefined],
];

const cases: Array<{ name: string; rows: Row[] }> = [
  { name: "v311", rows: session(0) },
  { name: "v5", rows: session(0) },
  // CONNACK 0x8C: Bad authentication method (5.0 §3.2.2.2).
  { name: "bad-connect", rows: [["CONNECT", "periscope-refused", 0x8c, true, undefined]] },
];

describe("MQTT fixtures recorded from mqtt.js against Mosquitto", () => {
  for (const expected of cases) {
    describe(expected.name, () => {
      const fixture = loadFixture(folder, expected.name);
      const whole = exchanges(fixture, longestRead(fixture));

      it("yields the expected records when replayed whole, covering every client byte", () => {
        expect(
          whole.map((exchange) => [
            exchange.operation,
            exchange.target,
            exchange.status,
            exchange.error,
            exchange.attributes["mqtt.direction"],
          ]),
        ).toEqual(expected.rows);
        expect(whole.every((exchange) => !exchange.truncated)).toBe(true);
      });

      it("yields the same records at every chunk size, byte by byte included", () => {
        for (let chunkSize = 1; chunkSize <= longestRead(fixture); chunkSize++) {
          expect(exchanges(fixture, chunkSize), `chunk size ${chunkSize}`).toEqual(whole);
        }
      });
    });
  }

  it("counts a QoS 2 flow's four packets: PUBLISH as the request, PUBREC+PUBREL+PUBCOMP as the response", () => {
    const qos2 = exchanges(loadFixture(folder, "v311"), 1).filter(
      (exchange) => exchange.target === "fixture/qos2",
    );
    expect(qos2.map((exchange) => exchange.responseBytes)).toEqual([12, 12]);
  });

  it("keeps the client id and never the password", () => {
    for (const name of ["v311", "v5"]) {
      const fixture = loadFixture(folder, name);
      expect(fixture.requests.includes("s3cret-never-stored")).toBe(true);
      const records = exchanges(fixture, 4);
      expect(records[0]?.attributes["mqtt.client_id"]).toBe("periscope-fixture");
      expect(JSON.stringify(records)).not.toContain("s3cret");
      expect(JSON.stringify(records)).not.toContain("fixture-user");
    }
  });
});
