import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { RequestRecord } from "../../records/request-record.js";
import { type Fixture, loadFixture, longestRead, replay } from "../testing/transcript-replay.js";
import { redisExchangeToRecord } from "./redis-definition.js";
import { RedisParser } from "./redis-parser.js";

const folder = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const nobody = { ip: "127.0.0.1", port: 0, service: "", pid: 0, processName: "" };

type Untimed = Omit<RequestRecord, "startMonotonicNs" | "durationNs">;

function records(fixture: Fixture, chunkSize: number): Untimed[] {
  const result = replay(fixture, chunkSize, new RedisParser());
  expect(result.counters.parseErrors, `chunk size ${chunkSize}`).toBe(0);
  return result.exchanges.map((exchange) => {
    // Timestamps name the chunk a byte came in, so they depend on the chunking: compare the rest.
    const {
      startMonotonicNs: _start,
      durationNs: _duration,
      ...record
    } = redisExchangeToRecord(exchange, {
      side: "client",
      client: nobody,
      server: nobody,
    });
    return record;
  });
}

const summary = (record: Untimed) => [record.operation, record.target, record.error];

// ioredis 6 sends CLIENT SETINFO on connect; Redis 7.0 predates it (added in 7.2) and answers ERR.
const HANDSHAKE = [
  ["CLIENT SETINFO", "", true],
  ["CLIENT SETINFO", "", true],
  ["INFO", "", false],
];

const cases: Array<{ name: string; records: Array<[string, string, boolean]> }> = [
  {
    name: "resp2-commands",
    records: [
      ["CLIENT SETNAME", "", false],
      ...(HANDSHAKE as Array<[string, string, boolean]>),
      ["SET", "fixture:string", false],
      ["GET", "fixture:string", false],
      ["GET", "fixture:missing", false],
      ["HSET", "fixture:hash", false],
      ["HGETALL", "fixture:hash", false],
      ["INCR", "fixture:counter", false],
      ["LPUSH", "fixture:string", true],
      // One pipeline: four commands written at once, replies paired in order.
      ["SET", "fixture:a", false],
      ["GET", "fixture:a", false],
      ["DEL", "fixture:a", false],
      ["EXISTS", "fixture:a", false],
      ["EVAL", "fixture:string", false],
      ["QUIT", "", false],
    ],
  },
  {
    name: "resp3-types",
    records: [
      ["HELLO", "", false],
      ...(HANDSHAKE as Array<[string, string, boolean]>),
      ["HSET", "fixture:hash", false],
      ["HGETALL", "fixture:hash", false],
      ["SADD", "fixture:set", false],
      ["SMEMBERS", "fixture:set", false],
      ["ZADD", "fixture:zset", false],
      ["ZSCORE", "fixture:zset", false],
      ["EVAL", "", false],
      ["EVAL", "", false],
      ["EVAL", "", false],
      ["EVAL", "", false],
      ["LPUSH", "fixture:string", true],
      ["CLIENT TRACKING", "", false],
      // The invalidation push between these two replies answers no command.
      ["GET", "fixture:tracked", false],
      ["GET", "fixture:tracked", false],
      ["QUIT", "", false],
    ],
  },
  ...[2, 3].map((protocol) => ({
    name: `pubsub-resp${protocol}`,
    records: [
      ...(protocol === 3 ? [["HELLO", "", false] as [string, string, boolean]] : []),
      ...(HANDSHAKE as Array<[string, string, boolean]>),
      // Two confirmations, two messages: one record, and PING still pairs.
      ["SUBSCRIBE", "fixture:news", false],
      ["PING", "", false],
      ["UNSUBSCRIBE", "", false],
      ["QUIT", "", false],
    ] as Array<[string, string, boolean]>,
  })),
  {
    name: "auth-redacted",
    records: [
      ["AUTH", "", true],
      ...(HANDSHAKE as Array<[string, string, boolean]>),
      ["GET", "fixture:string", false],
      ["QUIT", "", false],
    ],
  },
];

describe("Redis fixtures recorded from ioredis against Redis 7", () => {
  for (const expected of cases) {
    describe(expected.name, () => {
      const fixture = loadFixture(folder, expected.name);
      const whole = records(fixture, longestRead(fixture));

      it("yields the expected records when replayed whole, covering every byte", () => {
        expect(whole.map(summary)).toEqual(expected.records);
        expect(whole.reduce((sum, record) => sum + record.requestBytes, 0)).toBe(fixture.requests.length);
        expect(whole.every((record) => !record.truncated)).toBe(true);
      });

      it("yields the same records at every chunk size, byte by byte included", () => {
        for (let chunkSize = 1; chunkSize <= longestRead(fixture); chunkSize++) {
          expect(records(fixture, chunkSize), `chunk size ${chunkSize}`).toEqual(whole);
        }
      });
    });
  }

  it("types each reply, RESP3's included", () => {
    const types = records(loadFixture(folder, "resp3-types"), 1).map(
      (record) => record.attributes["redis.reply_type"],
    );
    expect(types).toEqual(
      expect.arrayContaining(["map", "set", "double", "big_number", "verbatim_string", "null", "integer"]),
    );
  });

  it("names the error code of an error reply", () => {
    const lpush = records(loadFixture(folder, "resp2-commands"), 7).find(
      (record) => record.operation === "LPUSH",
    );
    expect(lpush?.attributes["redis.error_prefix"]).toBe("WRONGTYPE");
  });

  it("never keeps AUTH's password", () => {
    const fixture = loadFixture(folder, "auth-redacted");
    expect(fixture.requests.includes("s3cret-never-stored")).toBe(true);
    for (const chunkSize of [1, 3, longestRead(fixture)]) {
      const result = replay(fixture, chunkSize, new RedisParser());
      expect(
        JSON.stringify(result.exchanges, (_key, value) =>
          typeof value === "bigint" ? value.toString() : value,
        ),
      ).not.toContain("s3cret");
    }
  });
});
