// Test support: request records as the parsers make them, with only the
// fields a test cares about given.
import type { RequestRecord } from "../../records/request-record.js";

export function sampleRecord(fields: Partial<RequestRecord> = {}): RequestRecord {
  return {
    protocol: "http",
    side: "server",
    startMonotonicNs: 1_000n,
    durationNs: 2_000_000n,
    client: { ip: "10.0.0.2", port: 51_000, service: "frontend", pid: 11, processName: "node" },
    server: { ip: "10.0.0.1", port: 8080, service: "api", pid: 22, processName: "api" },
    operation: "GET",
    target: "/users/1057",
    status: 200,
    error: false,
    requestBytes: 100,
    responseBytes: 1_000,
    attributes: {},
    traceId: "",
    spanId: "",
    parentSpanId: "",
    truncated: false,
    ...fields,
  };
}
