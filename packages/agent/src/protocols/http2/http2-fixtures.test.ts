import { describe, expect, it } from "vitest";
import { type Fixture, loadFixture, replay, summarize } from "./fixtures/replay.js";

interface Expected {
  name: string;
  records: Array<{
    protocol: string;
    operation: string;
    status: number;
    error: boolean;
    attributes?: Record<string, string>;
  }>;
  /** Every stream-level frame byte belongs to some record (connection frames do not). */
  allStreamsReported: boolean;
}

const grpcAttributes = (service: string, method: string, requests: number, responses: number) => ({
  "rpc.system": "grpc",
  "rpc.service": service,
  "rpc.method": method,
  "grpc.request_messages": `${requests}`,
  "grpc.response_messages": `${responses}`,
});

const cases: Expected[] = [
  {
    name: "http2-streams",
    records: [
      // Requests replay first, so the client's RST_STREAM of /slow is seen before its answer.
      {
        protocol: "http2",
        operation: "GET",
        status: 0,
        error: true,
        attributes: { "http2.reset_by": "client", "http2.error_code": "CANCEL", "http2.stream_id": "9" },
      },
      {
        protocol: "http2",
        operation: "GET",
        status: 200,
        error: false,
        attributes: { "http2.stream_id": "1" },
      },
      {
        protocol: "http2",
        operation: "GET",
        status: 404,
        error: false,
        attributes: { "http2.stream_id": "5" },
      },
      {
        protocol: "http2",
        operation: "POST",
        status: 201,
        error: false,
        attributes: { "http2.stream_id": "3" },
      },
      {
        protocol: "http2",
        operation: "GET",
        status: 200,
        error: false,
        attributes: { "http2.stream_id": "7" },
      },
    ],
    allStreamsReported: false,
  },
  {
    name: "grpc-unary",
    records: [1, 3].map((stream) => ({
      protocol: "grpc",
      operation: "/periscope.agent.v1.IngestService/Export",
      status: 0,
      error: false,
      attributes: {
        ...grpcAttributes("periscope.agent.v1.IngestService", "Export", 1, 1),
        "http2.stream_id": `${stream}`,
      },
    })),
    allStreamsReported: true,
  },
  {
    name: "grpc-server-streaming",
    records: [
      {
        protocol: "grpc",
        operation: "/periscope.test.v1.Echo/ServerStream",
        status: 0,
        error: false,
        attributes: grpcAttributes("periscope.test.v1.Echo", "ServerStream", 1, 3),
      },
    ],
    allStreamsReported: true,
  },
  {
    name: "grpc-client-streaming",
    records: [
      {
        protocol: "grpc",
        operation: "/periscope.test.v1.Echo/ClientStream",
        status: 0,
        error: false,
        attributes: grpcAttributes("periscope.test.v1.Echo", "ClientStream", 4, 1),
      },
    ],
    allStreamsReported: true,
  },
  {
    name: "grpc-failing",
    records: [
      {
        protocol: "grpc",
        operation: "/periscope.test.v1.Echo/FailAfterOne",
        status: 5,
        error: true,
        attributes: {
          ...grpcAttributes("periscope.test.v1.Echo", "FailAfterOne", 1, 1),
          "rpc.grpc.status_code": "5",
          "grpc.message": "no such thing: ä",
        },
      },
    ],
    allStreamsReported: true,
  },
  {
    name: "grpc-trailers-only",
    records: [
      {
        protocol: "grpc",
        operation: "/periscope.test.v1.Echo/Unavailable",
        status: 14,
        error: true,
        attributes: {
          ...grpcAttributes("periscope.test.v1.Echo", "Unavailable", 1, 0),
          "grpc.message": "try later",
        },
      },
    ],
    allStreamsReported: true,
  },
];

function totalLength(fixture: Fixture): number {
  return Math.max(fixture.requests.length, fixture.responses.length);
}

describe("HTTP/2 and gRPC fixtures recorded on loopback", () => {
  for (const expected of cases) {
    describe(expected.name, () => {
      const fixture = loadFixture(expected.name);
      const whole = replay(fixture, totalLength(fixture));

      it("yields the expected records when replayed whole", () => {
        expect(whole.records.map((record) => summarize(record))).toMatchObject(expected.records);
        expect(whole.counters).toEqual({ parseErrors: 0, streamGaps: 0 });
        expect(whole.parser.requests.hpackErrors + whole.parser.responses.hpackErrors).toBe(0);
        for (const record of whole.records) {
          expect(record.truncated).toBe(false);
          expect(record.attributes["http2.joined_mid_connection"]).toBeUndefined();
          expect(record.attributes["http2.headers_incomplete"]).toBeUndefined();
        }
        if (expected.allStreamsReported) expect(whole.parser.unansweredRequests).toBe(0);
      });

      it("yields the same records at every chunk size, byte by byte included", () => {
        const reference = whole.records.map((record) => summarize(record));
        for (let chunkSize = 1; chunkSize <= totalLength(fixture); chunkSize++) {
          const result = replay(fixture, chunkSize);
          expect(
            result.records.map((record) => summarize(record)),
            `chunk size ${chunkSize}`,
          ).toEqual(reference);
          expect(result.counters.parseErrors, `chunk size ${chunkSize}`).toBe(0);
        }
      });

      it("stamps each stream from its HEADERS frame's first byte to the last byte that ended it", () => {
        const byteByByte = replay(fixture, 1);
        for (const exchange of byteByByte.exchanges) {
          const headersAt = Number(exchange.startNs - 1_000_000n);
          // A frame header: length, type HEADERS (1), flags, then this stream's id.
          expect(fixture.requests[headersAt + 3]).toBe(0x1);
          expect(fixture.requests.readUInt32BE(headersAt + 5) & 0x7fffffff).toBe(exchange.streamId);
          if (exchange.reset?.by !== "client") expect(exchange.endNs).toBeGreaterThan(2_000_000n);
        }
      });
    });
  }

  it("keeps traceparent, drops the values of authorization and cookies", () => {
    const { records, exchanges } = replay(loadFixture("http2-streams"), 1 << 20);
    const hello = records.find((record) => record.attributes["http2.stream_id"] === "1");
    expect(hello).toMatchObject({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      target: "/hello",
    });
    const stored = JSON.stringify(
      exchanges.map((exchange) => [...exchange.requestHeaders, ...exchange.responseHeaders]),
    );
    expect(stored).not.toContain("secret-token");
    expect(stored).not.toContain("session=abc");
    expect(stored).toContain("[redacted]");
  });

  it("reports the second /hello, whose fields come from the dynamic table, as fully as the first", () => {
    const { records } = replay(loadFixture("http2-streams"), 1 << 20);
    const again = records.find((record) => record.attributes["http2.stream_id"] === "7");
    expect(again).toMatchObject({ target: "/hello", attributes: { "http.user_agent": "fixture/1.0" } });
  });
});
