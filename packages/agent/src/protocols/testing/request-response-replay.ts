// Test support: replays a recorded connection (all request bytes, then all
// response bytes) through the real stream buffers, drivers and a parser, cut
// into chunks of a given size — optionally losing a span of the responses, as
// the kernel's capture cap or a full ring buffer would.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { StreamBuffer } from "../../connections/stream-buffer.js";
import type { ObservedEnds } from "../../records/observed-ends.js";
import type { RequestRecord } from "../../records/request-record.js";
import { ConnectionParserRunner } from "../connection-parser-runner.js";
import type { ConnectionProtocolParser } from "../message-decoder.js";
import type { ParserCounters } from "../stream-driver.js";

export interface Fixture {
  requests: Buffer;
  responses: Buffer;
}

export interface ReplayResult<Exchange> {
  exchanges: Exchange[];
  counters: ParserCounters;
}

type ParserFactory<Exchange> = () => ConnectionProtocolParser<unknown, unknown, Exchange>;

/** `<folder>/<name>.requests.bin` and `.responses.bin`, as the capture scripts write them. */
export function loadBinFixture(folder: string, name: string): Fixture {
  return {
    requests: readFileSync(join(folder, `${name}.requests.bin`)),
    responses: readFileSync(join(folder, `${name}.responses.bin`)),
  };
}

/** Request bytes go first, then response bytes: pairing is first in, first out either way. */
export function replayInOrder<Exchange>(
  createParser: ParserFactory<Exchange>,
  fixture: Fixture,
  chunkSize: number,
): ReplayResult<Exchange> {
  return replayWithResponseGap(createParser, fixture, { start: 0, end: 0 }, chunkSize);
}

/** As replayInOrder(), but the response bytes in [gap.start, gap.end) are never delivered. */
export function replayWithResponseGap<Exchange>(
  createParser: ParserFactory<Exchange>,
  fixture: Fixture,
  gap: { start: number; end: number },
  chunkSize: number,
): ReplayResult<Exchange> {
  const counters: ParserCounters = { parseErrors: 0, streamGaps: 0 };
  const exchanges: Exchange[] = [];
  const runner = new ConnectionParserRunner(createParser(), counters, (exchange) => exchanges.push(exchange));
  const requestStream = new StreamBuffer(1 << 20);
  const responseStream = new StreamBuffer(1 << 20);
  if (gap.end > gap.start) responseStream.watchFromStart();
  const drain = () => runner.drain(requestStream, responseStream);
  feed(requestStream, fixture.requests, chunkSize, 1_000_000n, { start: 0, end: 0 }, drain);
  feed(responseStream, fixture.responses, chunkSize, 2_000_000n, gap, drain);
  runner.end(requestStream, responseStream);
  return { exchanges, counters };
}

/** Each chunk is stamped `base + its start offset`, so timestamps name the byte that carried them. */
function feed(
  stream: StreamBuffer,
  bytes: Buffer,
  chunkSize: number,
  base: bigint,
  gap: { start: number; end: number },
  drain: () => void,
): void {
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    const end = Math.min(bytes.length, offset + chunkSize);
    for (const [from, to] of [
      [offset, Math.min(end, gap.end > gap.start ? gap.start : end)],
      [Math.max(offset, gap.end > gap.start ? gap.end : end), end],
    ] as const) {
      if (from >= to) continue;
      const piece = bytes.subarray(from, to);
      stream.append(BigInt(from), piece, piece.length, base + BigInt(from));
    }
    drain();
  }
}

const FIXTURE_ENDPOINT = { ip: "127.0.0.1", port: 0, service: "", pid: 0, processName: "" };

/**
 * One protocol's fixtures under the shared replay: `<folder>/<name>.requests.bin`
 * and `.responses.bin`, its parser, and the fields a user reads off its records.
 */
export function requestResponseFixtures<Exchange>(
  folder: string,
  createParser: ParserFactory<Exchange>,
  toRecord: (exchange: Exchange, ends: ObservedEnds) => RequestRecord,
  serverPort: number,
) {
  const ends: ObservedEnds = {
    side: "client",
    client: FIXTURE_ENDPOINT,
    server: { ...FIXTURE_ENDPOINT, port: serverPort },
  };
  return {
    ends,
    loadFixture: (name: string): Fixture => loadBinFixture(folder, name),
    replay: (fixture: Fixture, chunkSize: number): ReplayResult<Exchange> =>
      replayInOrder(createParser, fixture, chunkSize),
    /** As replay(), but the response bytes in [gap.start, gap.end) are lost. */
    replayWithResponseGap: (fixture: Fixture, gap: { start: number; end: number }, chunkSize: number) =>
      replayWithResponseGap(createParser, fixture, gap, chunkSize),
    /** The fields a user reads off a record, for comparing replays. */
    summarize(exchange: Exchange) {
      const record = toRecord(exchange, ends);
      return {
        operation: record.operation,
        target: record.target,
        status: record.status,
        error: record.error,
        attributes: record.attributes,
        requestBytes: record.requestBytes,
        responseBytes: record.responseBytes,
        truncated: record.truncated,
      };
    },
  };
}
