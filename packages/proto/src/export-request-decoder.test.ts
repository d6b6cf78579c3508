import * as protobuf from "@bufbuild/protobuf";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it, vi } from "vitest";
import { decodeExportRequest } from "./export-request-decoder.js";
import {
  AgentInfoSchema,
  ExportRequestSchema,
  type RequestRecord,
  RequestRecordSchema,
  SeriesKind,
  Side,
} from "./gen/periscope/agent/v1/ingest_pb.js";

// fromBinary, watched: a record decoded through it left the fast path.
vi.mock("@bufbuild/protobuf", async (original) => {
  const actual = await original<typeof import("@bufbuild/protobuf")>();
  return { ...actual, fromBinary: vi.fn(actual.fromBinary) };
});

// Deterministic variety: every field set and unset, edge values, non-ASCII text.
function records(count: number): RequestRecord[] {
  let seed = 7;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed;
  };
  const texts = ["", "GET", "/users/42?q=ü", "日本語", "tab\tand\nnewline", "x".repeat(300)];
  const pick = <T>(values: readonly T[]) => values[next() % values.length] as T;
  return Array.from({ length: count }, (_, i) =>
    create(RequestRecordSchema, {
      protocol: pick(["http", "postgres", ""]),
      side: pick([Side.CLIENT, Side.SERVER, Side.UNSPECIFIED]),
      startTimeUnixNano: pick([0n, 1_764_000_000_123_456_789n, 2n ** 64n - 1n]),
      durationNano: pick([0n, 1n, 127n, 128n, 2n ** 53n + 1n, 2n ** 64n - 1n]),
      client:
        i % 3 === 0
          ? undefined
          : {
              ip: pick(texts),
              port: pick([0, 1, 65535]),
              service: pick(texts),
              pid: pick([0, 2 ** 32 - 1]),
              processName: pick(texts),
            },
      server: i % 5 === 0 ? undefined : { ip: "::1", port: 443, service: pick(texts) },
      operation: pick(texts),
      target: pick(texts),
      status: pick([0, 200, -1, -2_147_483_648, 2_147_483_647]),
      error: i % 2 === 0,
      requestBytes: BigInt(next()),
      responseBytes: pick([0n, 2n ** 40n]),
      attributes: i % 4 === 0 ? {} : { "http.host": pick(texts), [pick(texts)]: pick(texts) },
      traceId: pick(["", "4bf92f3577b34da6a3ce929d0e0e4736"]),
      spanId: pick(texts),
      parentSpanId: pick(texts),
      truncated: i % 7 === 0,
      sampleWeight: [0, 1, 10, 0.5, 1 / 3, 1e300, Number.MIN_VALUE, Number.NaN][i % 8],
    }),
  );
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return bytes;
}

function varint64(value: bigint): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7fn) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

describe("decodeExportRequest", () => {
  it("decodes exactly what protobuf-es decodes", () => {
    const request = create(ExportRequestSchema, {
      agentId: "host-ü",
      batchSeq: 2n ** 63n + 5n,
      agent: { hostname: "h", version: "1", kernel: "6.1", drops: { ringbufFull: 3n } },
      requests: records(300),
    });
    const bytes = Buffer.from(toBinary(ExportRequestSchema, request));
    expect(decodeExportRequest(bytes)).toEqual(fromBinary(ExportRequestSchema, bytes));
  });

  it("decodes every RequestRecord field on the fast path, sample weight included", () => {
    const request = create(ExportRequestSchema, { agentId: "a", requests: records(50) });
    expect(new Set(request.requests.map((record) => record.sampleWeight)).size).toBeGreaterThan(3);
    const bytes = Buffer.from(toBinary(ExportRequestSchema, request));
    const reflective = vi.mocked(protobuf.fromBinary);
    reflective.mockClear();
    const decoded = decodeExportRequest(bytes);
    expect(reflective.mock.calls.filter(([schema]) => schema === RequestRecordSchema)).toEqual([]);
    expect(decoded).toEqual(fromBinary(ExportRequestSchema, bytes));
  });

  it("decodes metric series beside records, on the fast path", () => {
    const request = create(ExportRequestSchema, {
      agentId: "a",
      requests: records(3),
      metrics: [
        {
          kind: SeriesKind.EDGE,
          startTimeUnixNano: 1_764_000_000_000_000_000n,
          intervalNano: 10_000_000_000n,
          protocol: "http",
          side: Side.SERVER,
          // A local end's container id rides on the series as on records (the collector names the end by it).
          client: { ip: "10.0.0.1", service: "web", containerId: "c".repeat(64) },
          server: { ip: "10.0.0.2", port: 5432, service: "db" },
          count: 1234n,
          errors: 5n,
          durationSumNano: 2n ** 60n,
          latency: { scale: 5, zeroCount: 2n, offset: -40, bucketCounts: [1n, 0n, 2n ** 64n - 1n] },
        },
        { kind: SeriesKind.ENDPOINT, operation: "GET", target: "/users/:id", statusClass: "5xx" },
      ],
    });
    const bytes = Buffer.from(toBinary(ExportRequestSchema, request));
    const reflective = vi.mocked(protobuf.fromBinary);
    reflective.mockClear();
    const decoded = decodeExportRequest(bytes);
    expect(reflective.mock.calls.filter(([schema]) => schema !== AgentInfoSchema)).toEqual([]);
    expect(decoded).toEqual(fromBinary(ExportRequestSchema, bytes));
    expect(decoded.metrics).toHaveLength(2);
    expect(decoded.metrics[0]?.latency?.offset).toBe(-40);
    expect(decoded.metrics[0]?.client?.containerId).toBe("c".repeat(64));
    expect(decoded.requests).toHaveLength(3);
  });

  it("reads histogram buckets packed or one per tag, negative scales, and a series it cannot plan through protobuf-es", () => {
    // ExponentialHistogram: scale -3 (sint32 ZigZag 5), buckets 7 and 2^40 one per tag (field 4, varint).
    const histogram = [0x08, 0x05, 0x20, 0x07, 0x20, ...varint64(2n ** 40n)];
    const series = [0x22, 0x04, ...Buffer.from("http"), 0x8a, 0x01, histogram.length, ...histogram];
    // A series carrying field 99 (varint 1), as a newer agent's could.
    const newer = [...series, 0x98, 0x06, 0x01];
    const batch = Buffer.from([0x32, series.length, ...series, 0x32, newer.length, ...newer]);
    const decoded = decodeExportRequest(batch);
    expect(decoded).toEqual(fromBinary(ExportRequestSchema, batch));
    expect(decoded.metrics[0]?.latency).toMatchObject({ scale: -3, bucketCounts: [7n, 2n ** 40n] });
    expect(decoded.metrics).toHaveLength(2);
  });

  it("decodes an empty batch and one without requests", () => {
    const empty = Buffer.from(toBinary(ExportRequestSchema, create(ExportRequestSchema)));
    expect(decodeExportRequest(empty)).toEqual(fromBinary(ExportRequestSchema, empty));
    const agentOnly = Buffer.from(
      toBinary(ExportRequestSchema, create(ExportRequestSchema, { agentId: "a" })),
    );
    expect(decodeExportRequest(agentOnly)).toEqual(fromBinary(ExportRequestSchema, agentOnly));
  });

  it("hands a record with a field it does not know to protobuf-es, and keeps the batch's other fields", () => {
    const record = Buffer.from(toBinary(RequestRecordSchema, records(2)[1] as RequestRecord));
    // Field 99, varint 1: what a newer agent's record could carry.
    const withUnknown = Buffer.concat([record, Buffer.from([0x98, 0x06, 0x01])]);
    const batch = Buffer.concat([
      Buffer.from(toBinary(ExportRequestSchema, create(ExportRequestSchema, { agentId: "a", batchSeq: 3n }))),
      Buffer.from([0x22, ...varint(withUnknown.length)]),
      withUnknown,
      Buffer.from([0xa8, 0x1f, 0x05]), // top-level field 501, varint 5
    ]);
    const decoded = decodeExportRequest(batch);
    expect(decoded).toEqual(fromBinary(ExportRequestSchema, batch));
    expect(decoded.requests).toHaveLength(1);
    expect(decoded.batchSeq).toBe(3n);
  });

  it("throws on truncated bytes, as protobuf-es does", () => {
    const bytes = Buffer.from(
      toBinary(ExportRequestSchema, create(ExportRequestSchema, { agentId: "a", requests: records(3) })),
    );
    const cut = bytes.subarray(0, bytes.length - 4);
    expect(() => fromBinary(ExportRequestSchema, cut)).toThrow();
    expect(() => decodeExportRequest(cut)).toThrow();
  });
});
