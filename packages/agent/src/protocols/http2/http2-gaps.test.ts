import { describe, expect, it } from "vitest";
import { StreamBuffer } from "../../connections/stream-buffer.js";
import { ConnectionParserRunner } from "../connection-parser-runner.js";
import type { ParserCounters } from "../stream-driver.js";
import { clientStart, frame, grpcMessage, literalBlock, settings } from "./fixtures/frame-builder.js";
import { FrameFlag, FrameType } from "./frame-syntax.js";
import { type Http2Exchange, Http2Parser } from "./http2-parser.js";

const { EndHeaders, EndStream } = FrameFlag;
const GRPC_REQUEST = literalBlock([
  [":method", "POST"],
  [":path", "/pkg.Svc/Download"],
  ["content-type", "application/grpc"],
]);

/** Each write is one syscall whose first `captureBytes` bytes the kernel copied, as the capture cap does. */
function run(requestWrites: Buffer[], responseWrites: Buffer[], captureBytes: number) {
  const counters: ParserCounters = { parseErrors: 0, streamGaps: 0 };
  const exchanges: Http2Exchange[] = [];
  const runner = new ConnectionParserRunner(new Http2Parser(), counters, (exchange) =>
    exchanges.push(exchange),
  );
  const requests = new StreamBuffer(1 << 20);
  const responses = new StreamBuffer(1 << 20);
  requests.watchFromStart();
  responses.watchFromStart();
  const write = (stream: StreamBuffer, writes: Buffer[]) => {
    let offset = 0n;
    for (const bytes of writes) {
      stream.append(offset, bytes.subarray(0, captureBytes), bytes.length, offset);
      offset += BigInt(bytes.length);
      runner.drain(requests, responses);
    }
  };
  write(requests, requestWrites);
  write(responses, responseWrites);
  runner.end(requests, responses);
  return { exchanges, counters };
}

describe("uncaptured bytes", () => {
  it("steps over the uncaptured end of a large DATA frame and still counts the message", () => {
    const big = frame(FrameType.Data, 0, 1, grpcMessage("x".repeat(10_000)));
    const { exchanges, counters } = run(
      [
        clientStart(),
        frame(FrameType.Headers, EndHeaders, 1, GRPC_REQUEST),
        frame(FrameType.Data, EndStream, 1, grpcMessage("go")),
      ],
      [
        settings(),
        frame(
          FrameType.Headers,
          EndHeaders,
          1,
          literalBlock([
            [":status", "200"],
            ["content-type", "application/grpc"],
          ]),
        ),
        big,
        frame(FrameType.Headers, EndHeaders | EndStream, 1, literalBlock([["grpc-status", "0"]])),
      ],
      4096,
    );
    expect(counters).toEqual({ parseErrors: 0, streamGaps: 0 });
    expect(exchanges).toMatchObject([
      { streamId: 1, requestMessages: 1, responseMessages: 1, truncated: true, headersIncomplete: false },
    ]);
    expect(exchanges[0]?.responseTrailers.get("grpc-status")).toBe("0");
  });

  it("loses the HPACK context, not the connection, when a header block goes uncaptured", () => {
    // Stream 1's response headers are cut by the cap (a long literal); stream 3 follows. The
    // frame header says where the frame ends and that it ended stream 1, so no resync is needed.
    const longValue = "v".repeat(100);
    const { exchanges, counters } = run(
      [
        clientStart(),
        frame(
          FrameType.Headers,
          EndHeaders | EndStream,
          1,
          literalBlock([
            [":method", "GET"],
            [":path", "/a"],
          ]),
        ),
        frame(
          FrameType.Headers,
          EndHeaders | EndStream,
          3,
          literalBlock([
            [":method", "GET"],
            [":path", "/b"],
          ]),
        ),
      ],
      [
        settings(),
        frame(
          FrameType.Headers,
          EndHeaders | EndStream,
          1,
          literalBlock([
            [":status", "200"],
            ["x-long", longValue],
          ]),
        ),
        frame(FrameType.Headers, EndHeaders | EndStream, 3, literalBlock([[":status", "404"]])),
      ],
      40,
    );
    const third = exchanges.find((exchange) => exchange.streamId === 3);
    expect(third).toMatchObject({ headersIncomplete: false });
    expect(third?.responseHeaders.get(":status")).toBe("404");
    expect(counters).toEqual({ parseErrors: 0, streamGaps: 0 });
    expect(
      exchanges.map((exchange) => [exchange.streamId, exchange.headersIncomplete, exchange.truncated]),
    ).toEqual([
      [1, true, true],
      [3, false, false],
    ]);
  });
});
