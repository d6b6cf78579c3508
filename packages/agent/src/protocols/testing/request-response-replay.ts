// Test support: replays a recorded connection (all request bytes, then all
// response bytes) through the real stream buffers, drivers and a parser, cut
// into chunks of a given size — optionally losing a span of the responses, as
// the kernel's capture cap or a full ring buffer would.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { StreamBuffer } from "../../connections/stream-buffer.js";
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
