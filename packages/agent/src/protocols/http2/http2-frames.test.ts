import { describe, expect, it } from "vitest";
import { clientStart, frame, grpcMessage, literalBlock, settings, u32 } from "./fixtures/frame-builder.js";
import { loadFixture, replay, summarize } from "./fixtures/replay.js";
import { FrameFlag, FrameType, SettingsParameter } from "./frame-syntax.js";
import { http2Definition } from "./http2-definition.js";

const { EndStream, EndHeaders, Padded, Priority } = FrameFlag;

const GET: Array<[string, string]> = [
  [":method", "GET"],
  [":scheme", "http"],
  [":path", "/thing"],
  [":authority", "example"],
];
const OK: Array<[string, string]> = [
  [":status", "200"],
  ["content-type", "text/plain"],
];

/** Replays at every chunk size and insists on one answer; returns it. */
function replayEverywhere(requests: Buffer, responses: Buffer) {
  const whole = replay({ requests, responses }, Math.max(requests.length, responses.length));
  for (let chunkSize = 1; chunkSize < Math.max(requests.length, responses.length); chunkSize++) {
    const chunked = replay({ requests, responses }, chunkSize);
    expect(chunked.records.map(summarize), `chunk size ${chunkSize}`).toEqual(whole.records.map(summarize));
    expect(chunked.counters, `chunk size ${chunkSize}`).toEqual(whole.counters);
  }
  return whole;
}

describe("HTTP/2 frames (RFC 9113 §6)", () => {
  it("strips padding and priority from HEADERS and padding from DATA (§6.1, §6.2)", () => {
    const block = literalBlock(GET);
    const padding = Buffer.alloc(7);
    const headers = frame(
      FrameType.Headers,
      EndHeaders | Padded | Priority,
      1,
      Buffer.concat([Buffer.of(padding.length), u32(3), Buffer.of(15), block, padding]),
    );
    const body = Buffer.from("padded body");
    const data = frame(
      FrameType.Data,
      EndStream | Padded,
      1,
      Buffer.concat([Buffer.of(4), body, Buffer.alloc(4)]),
    );
    const requests = Buffer.concat([clientStart(), headers, data]);
    const responses = Buffer.concat([
      settings(),
      frame(FrameType.Headers, EndHeaders, 1, literalBlock(OK)),
      frame(FrameType.Data, EndStream, 1, Buffer.from("ok")),
    ]);
    const { records, counters } = replayEverywhere(requests, responses);
    expect(counters.parseErrors).toBe(0);
    expect(records).toMatchObject([
      {
        protocol: "http2",
        operation: "GET",
        target: "/thing",
        status: 200,
        requestBytes: headers.length + data.length,
      },
    ]);
  });

  it("joins a header block split over CONTINUATION frames (§6.10)", () => {
    const block = literalBlock(GET);
    const requests = Buffer.concat([
      clientStart(),
      frame(FrameType.Headers, EndStream, 1, block.subarray(0, 5)),
      frame(FrameType.Continuation, 0, 1, block.subarray(5, 20)),
      frame(FrameType.Continuation, EndHeaders, 1, block.subarray(20)),
    ]);
    const responses = Buffer.concat([
      settings(),
      frame(FrameType.Headers, EndHeaders | EndStream, 1, literalBlock(OK)),
    ]);
    const { records } = replayEverywhere(requests, responses);
    expect(records).toMatchObject([{ target: "/thing", status: 200 }]);
  });

  it("refuses a frame between HEADERS and its CONTINUATION, and recovers at the next frame", () => {
    const block = literalBlock(GET);
    const requests = Buffer.concat([
      clientStart(),
      frame(FrameType.Headers, EndStream, 1, block.subarray(0, 5)),
      frame(FrameType.Ping, 0, 0, Buffer.alloc(8)),
      frame(FrameType.Headers, EndHeaders | EndStream, 3, block),
    ]);
    const responses = Buffer.concat([
      settings(),
      frame(FrameType.Headers, EndHeaders | EndStream, 3, literalBlock(OK)),
    ]);
    const { records, counters } = replayEverywhere(requests, responses);
    expect(counters.parseErrors).toBe(1);
    expect(records).toMatchObject([
      { target: "/thing", status: 200, attributes: { "http2.stream_id": "3" } },
    ]);
  });

  it("skips PRIORITY, PING, WINDOW_UPDATE and unknown frame types (§5.5)", () => {
    const requests = Buffer.concat([
      clientStart(),
      frame(FrameType.Priority, 0, 1, Buffer.concat([u32(0), Buffer.of(16)])),
      frame(0xfa, 0xff, 0, Buffer.from("extension")),
      frame(FrameType.WindowUpdate, 0, 0, u32(65535)),
      frame(FrameType.Headers, EndHeaders | EndStream, 1, literalBlock(GET)),
      frame(FrameType.Ping, 0, 0, Buffer.alloc(8)),
    ]);
    const responses = Buffer.concat([
      settings(),
      frame(FrameType.Ping, FrameFlag.Ack, 0, Buffer.alloc(8)),
      frame(FrameType.Headers, EndHeaders | EndStream, 1, literalBlock(OK)),
    ]);
    const { records, counters } = replayEverywhere(requests, responses);
    expect(counters.parseErrors).toBe(0);
    expect(records).toMatchObject([{ status: 200 }]);
  });

  it("skips 1xx responses to reach the final one (RFC 9113 §8.1)", () => {
    const requests = Buffer.concat([
      clientStart(),
      frame(FrameType.Headers, EndHeaders | EndStream, 1, literalBlock(GET)),
    ]);
    const responses = Buffer.concat([
      settings(),
      frame(FrameType.Headers, EndHeaders, 1, literalBlock([[":status", "103"]])),
      frame(FrameType.Headers, EndHeaders | EndStream, 1, literalBlock([[":status", "204"]])),
    ]);
    expect(replayEverywhere(requests, responses).records).toMatchObject([{ status: 204 }]);
  });

  it("reports a pushed response as its own record (§8.4)", () => {
    const requests = Buffer.concat([
      clientStart(),
      frame(FrameType.Headers, EndHeaders | EndStream, 1, literalBlock(GET)),
    ]);
    const promised = literalBlock([
      [":method", "GET"],
      [":path", "/style.css"],
    ]);
    const responses = Buffer.concat([
      settings(),
      frame(FrameType.PushPromise, EndHeaders, 1, Buffer.concat([u32(2), promised])),
      frame(FrameType.Headers, EndHeaders | EndStream, 1, literalBlock(OK)),
      frame(FrameType.Headers, EndHeaders, 2, literalBlock(OK)),
      frame(FrameType.Data, EndStream, 2, Buffer.from("body{}")),
    ]);
    const { records } = replayEverywhere(requests, responses);
    expect(records).toMatchObject([
      { target: "/thing", status: 200 },
      { target: "/style.css", status: 200, attributes: { "http2.push": "true" } },
    ]);
  });

  it("turns streams above a GOAWAY's last stream id into error records (§6.8)", () => {
    const requests = Buffer.concat([
      clientStart(),
      frame(FrameType.Headers, EndHeaders | EndStream, 1, literalBlock(GET)),
      frame(FrameType.Headers, EndHeaders | EndStream, 3, literalBlock(GET)),
      frame(FrameType.Headers, EndHeaders | EndStream, 5, literalBlock(GET)),
    ]);
    const responses = Buffer.concat([
      settings(),
      frame(FrameType.GoAway, 0, 0, Buffer.concat([u32(1), u32(0)])),
      frame(FrameType.Headers, EndHeaders | EndStream, 1, literalBlock(OK)),
    ]);
    const { records } = replayEverywhere(requests, responses);
    expect(records.map((record) => [record.attributes["http2.stream_id"], record.error])).toEqual([
      ["3", true],
      ["5", true],
      ["1", false],
    ]);
    expect(records[0]?.attributes["http2.reset_by"]).toBe("goaway");
  });

  it("refuses frames above SETTINGS_MAX_FRAME_SIZE, and allows them once the peer raised it (§4.2)", () => {
    const big = frame(FrameType.Data, EndStream, 1, Buffer.alloc(20_000));
    const head = frame(
      FrameType.Headers,
      EndHeaders,
      1,
      literalBlock([...GET.slice(0, 3), ["content-type", "x"]]),
    );
    const responses = (limit?: number) =>
      Buffer.concat([
        settings(limit === undefined ? [] : [[SettingsParameter.MaxFrameSize, limit]]),
        frame(FrameType.Headers, EndHeaders | EndStream, 1, literalBlock(OK)),
      ]);
    const requests = Buffer.concat([clientStart(), head, big]);
    // Responses replay after requests, so the raise is seen only after the big frame: refused.
    expect(replay({ requests, responses: responses(1 << 16) }, 1 << 20).counters.parseErrors).toBeGreaterThan(
      0,
    );
    // The client's own SETTINGS bound what the server sends.
    const clientRaises = Buffer.concat([settings([[SettingsParameter.MaxFrameSize, 1 << 16]])]);
    const bigResponse = Buffer.concat([
      settings(),
      frame(FrameType.Headers, EndHeaders, 1, literalBlock(OK)),
      frame(FrameType.Data, EndStream, 1, Buffer.alloc(20_000)),
    ]);
    const withRaise = replay(
      {
        requests: Buffer.concat([
          Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
          clientRaises,
          frame(FrameType.Headers, EndHeaders | EndStream, 1, literalBlock(GET)),
        ]),
        responses: bigResponse,
      },
      1 << 20,
    );
    expect(withRaise.counters.parseErrors).toBe(0);
    expect(withRaise.records).toMatchObject([{ status: 200, responseBytes: bigResponse.length - 9 }]);
  });

  it("counts gRPC messages that span DATA frames, and empty ones", () => {
    const grpcRequest = literalBlock([
      [":method", "POST"],
      [":path", "/pkg.Svc/Call"],
      ["content-type", "application/grpc"],
    ]);
    const messages = Buffer.concat([grpcMessage("first"), grpcMessage(""), grpcMessage("third one")]);
    const requests = Buffer.concat([
      clientStart(),
      frame(FrameType.Headers, EndHeaders, 1, grpcRequest),
      frame(FrameType.Data, 0, 1, messages.subarray(0, 3)),
      frame(FrameType.Data, 0, 1, messages.subarray(3, 17)),
      frame(FrameType.Data, EndStream, 1, messages.subarray(17)),
    ]);
    const responses = Buffer.concat([
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
      frame(FrameType.Headers, EndHeaders | EndStream, 1, literalBlock([["grpc-status", "0"]])),
    ]);
    const { records } = replayEverywhere(requests, responses);
    expect(records).toMatchObject([
      {
        protocol: "grpc",
        status: 0,
        error: false,
        attributes: {
          "rpc.service": "pkg.Svc",
          "rpc.method": "Call",
          "grpc.request_messages": "3",
          "grpc.response_messages": "0",
        },
      },
    ]);
  });
});

describe("joining a connection mid-way", () => {
  it("reports streams that start after the join with what decodes, and says so", () => {
    const fixture = loadFixture("http2-streams");
    const full = replay(fixture, 1);
    // Stream 7 (the second /hello) starts after the first three streams' frames.
    const stream7 = full.exchanges.find((exchange) => exchange.streamId === 7);
    const joinAt = Number((stream7?.startNs ?? 0n) - 1_000_000n);
    expect(joinAt).toBeGreaterThan(0);
    for (const chunkSize of [1, 7, 64, 1 << 20]) {
      const late = replay(fixture, chunkSize, { skipRequestBytes: joinAt });
      const record = late.records.find((candidate) => candidate.attributes["http2.stream_id"] === "7");
      expect(record, `chunk size ${chunkSize}`).toMatchObject({
        protocol: "http2",
        operation: "GET",
        status: 200,
        attributes: { "http2.joined_mid_connection": "true" },
      });
      // Whatever decoded is exactly what the full view decoded: nothing is guessed.
      const reference = full.records.find((candidate) => candidate.attributes["http2.stream_id"] === "7");
      expect(["", reference?.target]).toContain(record?.target);
      for (const [name, value] of Object.entries(record?.attributes ?? {})) {
        if (!name.startsWith("http2.")) expect(reference?.attributes[name], name).toBe(value);
      }
      expect(late.counters.parseErrors).toBe(0);
    }
  });

  it("classifies only the client preface", () => {
    expect(http2Definition.classifyFirstBytes(Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))).toBe(
      "request",
    );
    expect(http2Definition.classifyFirstBytes(Buffer.from("PRI * HT"))).toBe("request");
    expect(http2Definition.classifyFirstBytes(Buffer.from("GET / HTTP/1.1\r\n"))).toBeUndefined();
    expect(http2Definition.classifyFirstBytes(settings())).toBeUndefined();
    expect(http2Definition.classifyFirstBytes(Buffer.alloc(0))).toBeUndefined();
  });
});
