import {
  create,
  type DescField,
  type DescMessage,
  equals,
  fromBinary,
  ScalarType,
  toBinary,
} from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeExportRequest } from "./export-request-decoder.js";
import { encodeExportRequest } from "./export-request-encoder.js";
import {
  AgentActivitySchema,
  AgentInfoSchema,
  CaptureProblemSchema,
  ConnectionStatsSchema,
  DropCountersSchema,
  EndpointSchema,
  ExponentialHistogramSchema,
  ExportBacklogSchema,
  type ExportRequest,
  ExportRequestSchema,
  MetricSeriesSchema,
  ProfileSampleSchema,
  ProfileSamplesSchema,
  ProfileStackSchema,
  RequestRecordSchema,
} from "./gen/periscope/agent/v1/ingest_pb.js";

// protobuf-es reads strings with TextDecoder, which drops a leading U+FEFF (a
// byte-order mark): its reading, not the wire's. The reference comparisons below
// leave such strings out; the fast decoder keeps them (tested on its own).
const text = fc
  .oneof(
    fc.constant(""),
    fc.string({ unit: "grapheme-ascii", maxLength: 20 }),
    // Every code point but lone surrogates (which no encoder keeps).
    fc.string({ unit: "binary", maxLength: 60 }),
    // Past one length byte and past the encoder's short-string path.
    fc.string({ unit: "grapheme-ascii", minLength: 100, maxLength: 400 }),
    fc.string({ unit: "binary", minLength: 43, maxLength: 300 }),
  )
  .filter((value) => !value.startsWith("\uFEFF"));
const uint64 = fc.oneof(
  fc.constantFrom(0n, 1n, 127n, 128n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 64n - 1n),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
);
const uint32 = fc.oneof(
  fc.constantFrom(0, 1, 2 ** 31, 2 ** 32 - 1),
  fc.integer({ min: 0, max: 2 ** 32 - 1 }),
);
const int32 = fc.oneof(
  fc.constantFrom(0, -1, -(2 ** 31), 2 ** 31 - 1),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
);
const sint32 = int32;
// Any binary64 but -0, which proto3 does not write (it equals the default).
const double = fc.oneof(
  fc.constantFrom(0, 1, 0.5, 1 / 3, 1e300, Number.MIN_VALUE, Number.POSITIVE_INFINITY, Number.NaN),
  fc.double().filter((value) => !Object.is(value, -0)),
);
// Open enums: values the schema does not name travel too.
const side = fc.integer({ min: -3, max: 5 });
const seriesKind = fc.integer({ min: -1, max: 4 });

const endpoint = fc.option(
  fc
    .record({
      ip: text,
      port: uint32,
      service: text,
      pid: uint32,
      processName: text,
      containerId: text,
      cmdline: text,
      exe: text,
      processStartTimeUnixMs: uint64,
    })
    .map((init) => create(EndpointSchema, init)),
  { nil: undefined },
);

const attributes = fc.dictionary(
  text.filter((key) => key !== "__proto__"),
  text,
  { maxKeys: 40, noNullPrototype: true },
);

const requestRecord = fc
  .record({
    protocol: text,
    side,
    startTimeUnixNano: uint64,
    durationNano: uint64,
    client: endpoint,
    server: endpoint,
    operation: text,
    target: text,
    status: int32,
    error: fc.boolean(),
    requestBytes: uint64,
    responseBytes: uint64,
    attributes,
    traceId: text,
    spanId: text,
    parentSpanId: text,
    truncated: fc.boolean(),
    sampleWeight: double,
  })
  .map((init) => create(RequestRecordSchema, init));

const histogram = fc.option(
  fc
    .record({
      scale: sint32,
      zeroCount: uint64,
      offset: sint32,
      bucketCounts: fc.array(uint64, { maxLength: 40 }),
    })
    .map((init) => create(ExponentialHistogramSchema, init)),
  { nil: undefined },
);

const metricSeries = fc
  .record({
    kind: seriesKind,
    startTimeUnixNano: uint64,
    intervalNano: uint64,
    protocol: text,
    side,
    client: endpoint,
    server: endpoint,
    serverHost: text,
    clientHost: text,
    operation: text,
    target: text,
    statusClass: text,
    count: uint64,
    errors: uint64,
    requestBytes: uint64,
    responseBytes: uint64,
    durationSumNano: uint64,
    latency: histogram,
    clientNamespace: text,
    clientWorkload: text,
    serverNamespace: text,
    serverWorkload: text,
  })
  .map((init) => create(MetricSeriesSchema, init));

const connectionStats = fc
  .record({
    timeUnixNano: uint64,
    intervalNano: uint64,
    role: side,
    local: endpoint,
    remote: endpoint,
    bytesSent: uint64,
    bytesReceived: uint64,
    retransmits: uint32,
    resetsSent: uint32,
    resetsReceived: uint32,
    stateChanges: uint32,
    connectFailed: fc.boolean(),
    connectDurationNano: uint64,
    srttUs: uint32,
    state: text,
    opened: fc.boolean(),
    closed: fc.boolean(),
    connectionId: uint64,
  })
  .map((init) => create(ConnectionStatsSchema, init));

// Every counter of DropCounters, whatever the schema holds, so a new one is generated too.
const dropCounters = fc
  .tuple(...DropCountersSchema.fields.map((field) => fc.tuple(fc.constant(field.localName), uint64)))
  .map((entries) => create(DropCountersSchema, Object.fromEntries(entries)));

const agentInfo = fc.option(
  fc
    .record({
      hostname: text,
      version: text,
      kernel: text,
      drops: fc.option(dropCounters, { nil: undefined }),
      backlog: fc.option(
        fc
          .record({
            pendingBatches: uint32,
            inFlightBatches: uint32,
            oldestPendingAgeMs: uint64,
            spoolBatches: uint32,
            spoolBytes: uint64,
            spoolOldestAgeMs: uint64,
          })
          .map((init) => create(ExportBacklogSchema, init)),
        { nil: undefined },
      ),
      captureProblems: fc.array(
        fc.record({ feature: text, reason: text }).map((init) => create(CaptureProblemSchema, init)),
        { maxLength: 3 },
      ),
      activity: fc.option(
        fc
          .record({ events: uint64, records: uint64, recordsSent: uint64 })
          .map((init) => create(AgentActivitySchema, init)),
        { nil: undefined },
      ),
    })
    .map((init) => create(AgentInfoSchema, init)),
  { nil: undefined },
);

const profileSamples = fc
  .record({
    startTimeUnixNano: uint64,
    intervalNano: uint64,
    rateHz: uint32,
    stacks: fc.array(
      fc
        .record({ hash: uint64, frames: fc.array(text, { maxLength: 8 }) })
        .map((init) => create(ProfileStackSchema, init)),
      { maxLength: 4 },
    ),
    samples: fc.array(
      fc
        .record({
          pid: uint32,
          process: text,
          service: text,
          stackHash: uint64,
          samples: uint64,
          containerId: text,
        })
        .map((init) => create(ProfileSampleSchema, init)),
      { maxLength: 6 },
    ),
  })
  .map((init) => create(ProfileSamplesSchema, init));

const exportRequest = fc
  .record({
    agentId: text,
    batchSeq: uint64,
    agent: agentInfo,
    requests: fc.array(requestRecord, { maxLength: 12 }),
    connections: fc.array(connectionStats, { maxLength: 6 }),
    metrics: fc.array(metricSeries, { maxLength: 6 }),
    profiles: fc.array(profileSamples, { maxLength: 2 }),
  })
  .map((init) => create(ExportRequestSchema, init));

describe("encodeExportRequest", () => {
  it("writes what protobuf-es reads back equal, byte for byte what toBinary writes", () => {
    fc.assert(
      fc.property(exportRequest, (request) => {
        const bytes = encodeExportRequest(request);
        // toEqual, not protobuf-es's equals(), which holds NaN ≠ NaN (a NaN sample weight).
        expect(fromBinary(ExportRequestSchema, bytes)).toEqual(request);
        expect(bytes.equals(toBinary(ExportRequestSchema, request))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("is read by the fast decoder as the same request", () => {
    fc.assert(
      fc.property(exportRequest, (request) => {
        expect(decodeExportRequest(encodeExportRequest(request))).toEqual(
          fromBinary(ExportRequestSchema, toBinary(ExportRequestSchema, request)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("keeps a leading byte-order mark in a string, as the wire has it", () => {
    const request = create(ExportRequestSchema, { agentId: "\uFEFFnode-1", batchSeq: 1n });
    expect(decodeExportRequest(encodeExportRequest(request)).agentId).toBe("\uFEFFnode-1");
  });

  it("refuses a negative uint64 as toBinary does, instead of writing bytes no decoder reads", () => {
    const request = create(ExportRequestSchema, {
      agentId: "agent",
      connections: [create(ConnectionStatsSchema, { bytesReceived: -88n, state: "CLOSE" })],
    });
    expect(() => toBinary(ExportRequestSchema, request)).toThrow(/invalid uint64/);
    expect(() => encodeExportRequest(request)).toThrow(/invalid uint64: -88/);
  });

  it("returns a copy that the next request does not overwrite", () => {
    const first = encodeExportRequest(create(ExportRequestSchema, { agentId: "a".repeat(50), batchSeq: 1n }));
    const kept = Buffer.from(first);
    encodeExportRequest(create(ExportRequestSchema, { agentId: "b".repeat(50), batchSeq: 2n }));
    expect(first).toEqual(kept);
  });

  it("grows its buffer for a batch larger than the initial one", () => {
    const request = create(ExportRequestSchema, {
      agentId: "agent",
      requests: Array.from({ length: 2000 }, (_, i) =>
        create(RequestRecordSchema, { protocol: "http", target: `/items/${i}`.repeat(20), status: 200 }),
      ),
    });
    expect(
      equals(ExportRequestSchema, fromBinary(ExportRequestSchema, encodeExportRequest(request)), request),
    ).toBe(true);
  });
});

// Each field of every message an ExportRequest can hold, set alone to a value
// other than its default: a field the encoder skips (one added to the .proto
// and not to the encoder) does not come back, and this fails naming it.
describe("encodeExportRequest covers the schema", () => {
  const paths = new Map<string, { message: DescMessage; path: DescField[] }>();
  const visit = (message: DescMessage, path: DescField[]) => {
    if (paths.has(message.typeName)) return;
    paths.set(message.typeName, { message, path });
    for (const field of message.fields) {
      const child =
        field.fieldKind === "message" || (field.fieldKind === "list" && field.listKind === "message")
          ? field.message
          : undefined;
      if (child !== undefined) visit(child, [...path, field]);
    }
  };
  visit(ExportRequestSchema, []);

  const cases = [...paths.values()].flatMap(({ message, path }) =>
    message.fields.map((field) => ({ name: `${message.typeName}.${field.name}`, message, field, path })),
  );

  it.each(cases)("$name", ({ message, field, path }) => {
    let inner: unknown = create(message, { [field.localName]: sampleValue(field) });
    for (const step of [...path].reverse()) {
      inner = create(step.parent, { [step.localName]: step.fieldKind === "list" ? [inner] : inner });
    }
    const request = inner as ExportRequest;
    const decoded = fromBinary(ExportRequestSchema, encodeExportRequest(request));
    expect(equals(ExportRequestSchema, decoded, request)).toBe(true);
  });
});

function scalarSample(scalar: ScalarType): unknown {
  switch (scalar) {
    case ScalarType.STRING:
      return "ü-€";
    case ScalarType.UINT32:
      return 4_000_000_000;
    case ScalarType.INT32:
    case ScalarType.SINT32:
      return -7;
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return 2n ** 63n + 5n;
    case ScalarType.DOUBLE:
      return -1.5e-300;
    case ScalarType.BOOL:
      return true;
    default:
      throw new Error(
        `no sample for scalar type ${ScalarType[scalar]}: teach the encoder and this test the new kind`,
      );
  }
}

function sampleValue(field: DescField): unknown {
  switch (field.fieldKind) {
    case "scalar":
      return scalarSample(field.scalar);
    case "enum":
      return field.enum.values.at(-1)?.number ?? 1;
    case "message":
      return create(field.message);
    case "map":
      if (field.mapKind === "scalar") return { "k€y": scalarSample(field.scalar) };
      break;
    case "list":
      if (field.listKind === "message") return [create(field.message)];
      if (field.listKind === "scalar") return [scalarSample(field.scalar)];
      break;
  }
  throw new Error(`no sample for ${field.toString()}: teach the encoder and this test the new kind`);
}
