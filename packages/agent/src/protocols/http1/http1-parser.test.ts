import { describe, expect, it } from "vitest";
import { StreamBuffer } from "../../connections/stream-buffer.js";
import { ConnectionParserRunner } from "../connection-parser-runner.js";
import type { ParserCounters } from "../stream-driver.js";
import { Http1Parser, type HttpExchange } from "./http1-parser.js";
import { parseTraceParent, traceParentRejections } from "./trace-context.js";

function harness() {
  const counters: ParserCounters = { parseErrors: 0, streamGaps: 0 };
  const exchanges: HttpExchange[] = [];
  const runner = new ConnectionParserRunner(new Http1Parser(), counters, (exchange) =>
    exchanges.push(exchange),
  );
  const requests = new StreamBuffer(64 * 1024);
  const responses = new StreamBuffer(64 * 1024);
  const offsets = { request: 0n, response: 0n };
  /** Appends one syscall's worth; `moved` > text length simulates the capture cap. */
  const send = (side: "request" | "response", text: string, moved = Buffer.byteLength(text), at = 0n) => {
    const stream = side === "request" ? requests : responses;
    stream.append(offsets[side], Buffer.from(text, "latin1"), moved, at);
    offsets[side] += BigInt(moved);
    runner.drain(requests, responses);
  };
  return { counters, exchanges, runner, send, close: () => runner.end(requests, responses) };
}

describe("Http1Parser", () => {
  it("stops parsing after 101 Switching Protocols", () => {
    const { send, exchanges, counters, runner } = harness();
    send("request", "GET /chat HTTP/1.1\r\nHost: ws\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
    send("request", "\x81\x85binary websocket frame");
    send(
      "response",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x02hi",
    );
    send("request", "GET /not-http-anymore HTTP/1.1\r\n\r\n");
    expect(exchanges.map((exchange) => exchange.response.head.status)).toEqual([101]);
    expect(counters.parseErrors).toBe(0);
    expect(runner.finished).toBe(true);
  });

  it("keeps parsing when an Upgrade request is declined", () => {
    const { send, exchanges } = harness();
    send("request", "GET /a HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
    send("response", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
    expect(
      exchanges.map((exchange) => [exchange.request.head.target, exchange.response.head.status]),
    ).toEqual([
      ["/a", 200],
      ["/b", 204],
    ]);
  });

  it("steps over uncaptured body bytes of known length and marks the record truncated", () => {
    const { send, exchanges, counters } = harness();
    send("request", "GET /big HTTP/1.1\r\n\r\n", undefined, 10n);
    const head = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n";
    // One write of the whole response, of which only the first 4096 bytes were captured.
    send("response", `${head}${"x".repeat(4096 - head.length)}`, head.length + 100_000, 50n);
    send("request", "GET /next HTTP/1.1\r\n\r\n", undefined, 60n);
    send("response", "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", undefined, 70n);
    expect(
      exchanges.map((exchange) => ({
        target: exchange.request.head.target,
        status: exchange.response.head.status,
        responseBytes: exchange.response.wireBytes,
        truncated: exchange.truncated,
        durationNs: exchange.endNs - exchange.startNs,
      })),
    ).toEqual([
      { target: "/big", status: 200, responseBytes: head.length + 100_000, truncated: true, durationNs: 40n },
      { target: "/next", status: 404, responseBytes: 45, truncated: false, durationNs: 10n },
    ]);
    expect(counters.streamGaps).toBe(0);
  });

  it("ends a message inside a gap that hides where its chunked body ends, then resyncs", () => {
    const { send, exchanges, counters } = harness();
    send("request", "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
    const head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    // One write of head + chunks, of which the capture cap kept the head and 4 body bytes.
    send("response", `${head}5\r\nab`, head.length + 200);
    send("response", "HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nz");
    expect(counters.streamGaps).toBe(1);
    expect(
      exchanges.map((exchange) => [
        exchange.request.head.target,
        exchange.response.head.status,
        exchange.response.wireBytes,
        exchange.truncated,
      ]),
    ).toEqual([
      ["/a", 200, head.length + 200, true],
      ["/b", 404, 46, false],
    ]);
  });

  it("answers a request whose body is still streaming when the server replies early", () => {
    const { send, exchanges } = harness();
    send("request", "POST /upload HTTP/1.1\r\nContent-Length: 1000000\r\n\r\npartial body");
    send("response", "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    send("request", "x".repeat(100));
    expect(
      exchanges.map((exchange) => [exchange.request.head.method, exchange.response.head.status]),
    ).toEqual([["POST", 413]]);
  });

  it("drops a response that answers no request seen (connection predating the agent)", () => {
    const { send, exchanges, counters } = harness();
    send("response", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    expect(exchanges).toEqual([]);
    expect(counters.parseErrors).toBe(0);
  });

  it("ends a close-delimited response when the connection closes", () => {
    const { send, exchanges, close } = harness();
    send("request", "GET /stream HTTP/1.0\r\n\r\n");
    send("response", "HTTP/1.0 200 OK\r\n\r\nstreamed until close");
    expect(exchanges).toEqual([]);
    close();
    expect(exchanges.map((exchange) => exchange.response.wireBytes)).toEqual([19 + 20]);
  });

  it("rejects oversized header sections as invalid instead of buffering without end", () => {
    const { send, exchanges, counters } = harness();
    send("request", `GET / HTTP/1.1\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\nGET /small HTTP/1.1\r\n\r\n`);
    send("response", "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n\r\n");
    expect(counters.parseErrors).toBe(1);
    expect(exchanges.map((exchange) => exchange.request.head.target)).toEqual(["/small"]);
  });
});

describe("parseTraceParent", () => {
  it("reads trace id and parent span id from a valid header", () => {
    expect(parseTraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      parentSpanId: "00f067aa0ba902b7",
    });
  });

  it("rejects all-zero ids, version ff, upper-case hex, a short id and extra fields on version 00, counting each by reason", () => {
    const before = { ...traceParentRejections };
    expect(parseTraceParent("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).toBeUndefined();
    expect(parseTraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).toBeUndefined();
    expect(parseTraceParent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).toBeUndefined();
    expect(parseTraceParent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).toBeUndefined();
    expect(parseTraceParent("00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01")).toBeUndefined();
    expect(parseTraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x")).toBeUndefined();
    expect(parseTraceParent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x")).toBeDefined();
    // No header is not a rejection.
    expect(parseTraceParent(undefined)).toBeUndefined();
    expect({
      malformed: traceParentRejections.malformed - before.malformed,
      bad_version: traceParentRejections.bad_version - before.bad_version,
      zero_id: traceParentRejections.zero_id - before.zero_id,
    }).toEqual({ malformed: 2, bad_version: 2, zero_id: 2 });
  });
});
