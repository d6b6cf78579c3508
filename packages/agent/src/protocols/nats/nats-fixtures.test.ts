import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type Fixture, loadFixture, longestRead, replay } from "../testing/transcript-replay.js";
import { type NatsExchange, NatsParser } from "./nats-parser.js";

const folder = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

/** Everything but timestamps, which name the chunk a byte came in and so depend on the chunking. */
function exchanges(fixture: Fixture, chunkSize: number): Array<Omit<NatsExchange, "startNs" | "endNs">> {
  const result = replay(fixture, chunkSize, new NatsParser());
  expect(result.counters.parseErrors, `chunk size ${chunkSize}`).toBe(0);
  return result.exchanges.map(({ startNs: _start, endNs: _end, ...rest }) => rest);
}

type Row = [operation: string, target: string, error: boolean, answered: boolean];
const INBOX = expect.stringMatching(/^_INBOX\./) as unknown as string;

/** nats.js: two subscriptions, a publish, a publish with headers (traceparent), and a request/reply on one connection. */
function traffic(verbose: boolean): Row[] {
  const rows: Row[] = [
    ["CONNECT", "", false, true],
    ["SUB", "fixture.orders", false, verbose],
    ["UNSUB", "fixture.orders", false, verbose],
    ["SUB", "fixture.echo", false, verbose],
    ["PUB", "fixture.orders", false, verbose],
    ["MSG", "fixture.orders", false, false],
    ["PUB", "fixture.orders", false, verbose],
    ["MSG", "fixture.orders", false, false],
    ["UNSUB", "fixture.orders", false, verbose],
    ["UNSUB", "fixture.orders", false, verbose],
    ["SUB", INBOX, false, verbose],
    ["PUB", "fixture.echo", false, verbose],
    ["MSG", "fixture.echo", false, false],
    ["PUB", INBOX, false, verbose],
    ["MSG", INBOX, false, false],
    ["UNSUB", "fixture.echo", false, verbose],
    ["UNSUB", "fixture.echo", false, verbose],
  ];
  if (verbose) return rows;
  // Without verbose mode a publish is recorded when read, before the server delivers it.
  const publishes = rows.filter((row) => row[0] !== "MSG");
  return [
    ...publishes.slice(0, 6),
    ["MSG", "fixture.orders", false, false],
    ["MSG", "fixture.orders", false, false],
    ...publishes.slice(6, 10),
    ["MSG", "fixture.echo", false, false],
    publishes[10] as Row,
    ["MSG", INBOX, false, false],
    ...publishes.slice(11),
  ];
}

const cases: Array<{ name: string; rows: Row[] }> = [
  { name: "pub-sub", rows: traffic(false) },
  { name: "verbose", rows: traffic(true) },
  {
    name: "invalid-subject",
    rows: [
      ["CONNECT", "", false, true],
      ["PUB", "fixture..bad", false, false],
      ["PUB", "fixture.good", false, false],
      // Outside verbose mode the -ERR answers nothing pending: it is its own record.
      ["ERR", "", true, false],
    ],
  },
];

describe("NATS fixtures recorded from nats.js against nats-server", () => {
  for (const expected of cases) {
    describe(expected.name, () => {
      const fixture = loadFixture(folder, expected.name);
      const whole = exchanges(fixture, longestRead(fixture));

      it("yields the expected records when replayed whole", () => {
        expect(
          whole.map((exchange) => [
            exchange.operation,
            exchange.target,
            exchange.error,
            exchange.responseBytes > 0,
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

  it("carries the publisher's traceparent on HPUB and HMSG records", () => {
    const traced = exchanges(loadFixture(folder, "pub-sub"), 5).filter((exchange) => exchange.traceparent);
    expect(traced.map((exchange) => exchange.operation)).toEqual(["PUB", "MSG"]);
    expect(traced[0]?.traceparent).toBe("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  });

  it("names the queue group, the reply subject and the error message", () => {
    const records = exchanges(loadFixture(folder, "pub-sub"), 3);
    expect(
      records.find((exchange) => exchange.target === "fixture.echo")?.attributes["nats.queue_group"],
    ).toBe("workers");
    expect(
      records.find((exchange) => exchange.operation === "PUB" && exchange.target === "fixture.echo")
        ?.attributes["nats.reply_to"],
    ).toMatch(/^_INBOX\./);
    const error = exchanges(loadFixture(folder, "invalid-subject"), 2).at(-1);
    expect(error?.attributes["nats.error"]).toBe("Invalid Publish Subject");
  });
});
