import type { Endpoint, RequestRecord as RequestRecordMessage } from "@periscope/proto";
import { Side } from "@periscope/proto";
import type { MonotonicClock } from "./monotonic-clock.js";
import type { RecordEndpoint, RequestRecord } from "./request-record.js";

// Built as plain objects with every field set, which is what protobuf-es's
// create() returns for them (a message is a plain object carrying $typeName):
// create() walks the schema by reflection for each record and endpoint, and
// at full HTTP capture that was a tenth of the agent's time.

/** @param sampleWeight requests this record stands for: 1 / the probability the record budget kept it with */
export function toProtoRecord(
  record: RequestRecord,
  clock: MonotonicClock,
  sampleWeight = 1,
): RequestRecordMessage {
  return {
    $typeName: "periscope.agent.v1.RequestRecord",
    protocol: record.protocol,
    side: record.side === "client" ? Side.CLIENT : Side.SERVER,
    startTimeUnixNano: clock.toUnixNs(record.startMonotonicNs),
    durationNano: record.durationNs,
    client: toProtoEndpoint(record.client),
    server: toProtoEndpoint(record.server),
    operation: record.operation,
    target: record.target,
    status: record.status,
    error: record.error,
    requestBytes: BigInt(record.requestBytes),
    responseBytes: BigInt(record.responseBytes),
    attributes: { ...record.attributes },
    traceId: record.traceId,
    spanId: record.spanId,
    parentSpanId: record.parentSpanId,
    truncated: record.truncated,
    sampleWeight,
  };
}

function toProtoEndpoint(endpoint: RecordEndpoint): Endpoint {
  return {
    $typeName: "periscope.agent.v1.Endpoint",
    ip: endpoint.ip,
    port: endpoint.port,
    service: endpoint.service,
    pid: endpoint.pid,
    processName: endpoint.processName,
    containerId: "",
    cmdline: "",
    exe: "",
    processStartTimeUnixMs: 0n,
  };
}
