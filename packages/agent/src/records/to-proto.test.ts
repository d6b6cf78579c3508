import {
  create,
  EndpointSchema,
  ExportRequestSchema,
  fromBinary,
  RequestRecordSchema,
  Side,
  toBinary,
} from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { MonotonicClock } from "./monotonic-clock.js";
import type { RequestRecord } from "./request-record.js";
import { toProtoRecord } from "./to-proto.js";

const clock = MonotonicClock.withOffset(1_700_000_000_000_000_000n);

const record: RequestRecord = {
  protocol: "http",
  side: "server",
  startMonotonicNs: 5_000n,
  durationNs: 1_234n,
  client: { ip: "10.0.0.2", port: 40_000, service: "", pid: 0, processName: "" },
  server: { ip: "10.0.0.1", port: 8080, service: "nginx", pid: 42, processName: "nginx" },
  operation: "GET",
  target: "/a?b=1",
  status: 200,
  error: false,
  requestBytes: 84,
  responseBytes: 186,
  attributes: { "http.host": "example", "http.version": "1.1" },
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  parentSpanId: "",
  truncated: true,
};

/** What protobuf-es builds from the same fields. */
const expected = create(RequestRecordSchema, {
  protocol: "http",
  side: Side.SERVER,
  startTimeUnixNano: 1_700_000_000_000_005_000n,
  durationNano: 1_234n,
  client: create(EndpointSchema, { ip: "10.0.0.2", port: 40_000 }),
  server: create(EndpointSchema, {
    ip: "10.0.0.1",
    port: 8080,
    service: "nginx",
    pid: 42,
    processName: "nginx",
  }),
  operation: "GET",
  target: "/a?b=1",
  status: 200,
  requestBytes: 84n,
  responseBytes: 186n,
  attributes: { "http.host": "example", "http.version": "1.1" },
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  truncated: true,
  sampleWeight: 1,
});

describe("toProtoRecord", () => {
  it("builds the message create() builds, field for field", () => {
    expect(toProtoRecord(record, clock)).toStrictEqual(expected);
  });

  it("encodes to the same bytes inside an ExportRequest and decodes back", () => {
    const request = (requests: (typeof expected)[]) =>
      toBinary(ExportRequestSchema, create(ExportRequestSchema, { agentId: "a", requests }));
    const bytes = request([toProtoRecord(record, clock)]);
    expect(bytes).toEqual(request([expected]));
    expect(fromBinary(ExportRequestSchema, bytes).requests[0]).toStrictEqual(expected);
  });

  it("copies the attributes, so the record's own object is never shared", () => {
    const message = toProtoRecord(record, clock);
    expect(message.attributes).not.toBe(record.attributes);
  });
});
