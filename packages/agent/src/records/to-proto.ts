import {
  create,
  type Endpoint,
  EndpointSchema,
  type RequestRecord as RequestRecordMessage,
  RequestRecordSchema,
  Side,
} from "@periscope/proto";
import type { MonotonicClock } from "./monotonic-clock.js";
import type { RecordEndpoint, RequestRecord } from "./request-record.js";

export function toProtoRecord(record: RequestRecord, clock: MonotonicClock): RequestRecordMessage {
  return create(RequestRecordSchema, {
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
    attributes: record.attributes,
    traceId: record.traceId,
    spanId: record.spanId,
    parentSpanId: record.parentSpanId,
    truncated: record.truncated,
  });
}

function toProtoEndpoint(endpoint: RecordEndpoint): Endpoint {
  return create(EndpointSchema, {
    ip: endpoint.ip,
    port: endpoint.port,
    service: endpoint.service,
    pid: endpoint.pid,
    processName: endpoint.processName,
  });
}
