// Stored request records as OTLP spans (OpenTelemetry's trace semantic
// conventions where they fit).
//
// Both ends of a call report the caller's outgoing span id (traceparent's
// parent-id), so the client's record is that span and the server's record a
// span of its own whose parent it is; its id is derived from the record, the
// same on every retry. A record without trace context becomes a trace of one
// span with derived ids. Names are "{operation} {target template}"
// (`GET /users/{id}`) for HTTP and gRPC, never the raw path; a server span's
// 4xx leaves its status unset, 5xx (and any failed call) is an error.
import { createHash } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { templatePath } from "@periscope/proto";
import type { RequestRow } from "../ingest/request-row.js";
import { spanIsError, spanName } from "../query/span-name.js";
import {
  type ResourceSpans,
  ResourceSpansSchema,
  type Span,
  Span_SpanKind,
  SpanSchema,
  Status_StatusCode,
} from "./gen/opentelemetry/proto/trace/v1/trace_pb.js";
import { keyValues, type ObservedService, resourceKey, resourceOf, SCOPE } from "./otlp-attributes.js";

const HTTP_PROTOCOLS = new Set(["http", "http2", "grpc"]);
const DB_SYSTEMS: Record<string, string> = {
  postgres: "postgresql",
  mysql: "mysql",
  redis: "redis",
  mongo: "mongodb",
};
const MESSAGING_SYSTEMS: Record<string, string> = {
  kafka: "kafka",
  amqp: "rabbitmq",
  nats: "nats",
  mqtt: "mqtt",
};

function hexBytes(hex: string, length: number): Uint8Array | undefined {
  if (hex.length !== length * 2 || !/^[0-9a-f]+$/i.test(hex) || /^0+$/.test(hex)) return undefined;
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

/** 24 stable bytes per record: a derived trace id (16) and span id (8). */
function derivedIds(row: RequestRow): { traceId: Uint8Array; spanId: Uint8Array } {
  const digest = createHash("sha256")
    .update(
      `${row.agent_id}|${row.time}|${row.side}|${row.client_ip}:${row.client_port}|${row.server_ip}:${row.server_port}`,
    )
    .digest();
  return {
    traceId: Uint8Array.from(digest.subarray(0, 16)),
    spanId: Uint8Array.from(digest.subarray(16, 24)),
  };
}

function observedService(row: RequestRow): ObservedService {
  return row.side === "server"
    ? {
        service: row.server_service || row.server_process,
        namespace: row.server_namespace,
        pod: row.server_pod,
        node: row.server_node,
      }
    : {
        service: row.client_service || row.client_process,
        namespace: row.client_namespace,
        pod: row.client_pod,
        node: row.client_node,
      };
}

function statusOf(row: RequestRow): { code: Status_StatusCode; message: string } {
  if (!spanIsError(row.protocol, row.side, row.status, row.error))
    return { code: Status_StatusCode.UNSET, message: "" };
  const message = row.attributes["db.error"] ?? (row.status !== 0 ? `status ${row.status}` : "");
  return { code: Status_StatusCode.ERROR, message };
}

function attributesOf(row: RequestRow): ReturnType<typeof keyValues> {
  const http = HTTP_PROTOCOLS.has(row.protocol);
  const db = DB_SYSTEMS[row.protocol];
  const messaging = MESSAGING_SYSTEMS[row.protocol];
  return keyValues({
    "network.protocol.name": row.protocol,
    "server.address": row.server_service || row.server_host || row.server_ip,
    "server.port": row.server_port,
    "client.address": row.client_ip,
    "client.port": row.client_port,
    "http.request.method": http && row.protocol !== "grpc" ? row.operation : undefined,
    "url.path": http && row.protocol !== "grpc" ? row.target.split("?")[0] : undefined,
    "http.route": http && row.protocol !== "grpc" ? templatePath(row.target) : undefined,
    "http.response.status_code": http && row.protocol !== "grpc" && row.status > 0 ? row.status : undefined,
    "rpc.system": row.protocol === "grpc" ? "grpc" : undefined,
    "rpc.grpc.status_code": row.protocol === "grpc" ? row.status : undefined,
    "db.system.name": db,
    "db.operation.name": db !== undefined ? row.operation : undefined,
    "db.query.text": db !== undefined && db !== "redis" ? row.target : undefined,
    "messaging.system": messaging,
    "messaging.destination.name": messaging !== undefined ? row.target : undefined,
    "periscope.sample_weight": row.sample_weight,
    "periscope.agent_id": row.agent_id,
  });
}

export function toSpan(row: RequestRow): Span {
  const derived = derivedIds(row);
  const traceId = hexBytes(row.trace_id, 16) ?? derived.traceId;
  const callSpan = hexBytes(row.span_id, 8);
  const declaredParent = hexBytes(row.parent_span_id, 8);
  // The call's span is the client's; the server's span is its child.
  const spanId = row.side === "client" ? (callSpan ?? derived.spanId) : derived.spanId;
  const parentSpanId = row.side === "client" ? declaredParent : callSpan;
  const startNs = BigInt(row.time);
  const status = statusOf(row);
  return create(SpanSchema, {
    traceId,
    spanId,
    parentSpanId: parentSpanId ?? new Uint8Array(),
    name: spanName(row.protocol, row.operation, row.target),
    kind: row.side === "client" ? Span_SpanKind.CLIENT : Span_SpanKind.SERVER,
    startTimeUnixNano: startNs,
    endTimeUnixNano: startNs + BigInt(row.duration_ns),
    attributes: attributesOf(row),
    status: { code: status.code, message: status.message },
  });
}

/** Spans grouped by the service that observed them (one Resource each). */
export function toResourceSpans(rows: readonly RequestRow[]): ResourceSpans[] {
  const byResource = new Map<string, { service: ObservedService; spans: Span[] }>();
  for (const row of rows) {
    const service = observedService(row);
    const key = resourceKey(service);
    let group = byResource.get(key);
    if (group === undefined) {
      group = { service, spans: [] };
      byResource.set(key, group);
    }
    group.spans.push(toSpan(row));
  }
  return [...byResource.values()].map(({ service, spans }) =>
    create(ResourceSpansSchema, { resource: resourceOf(service), scopeSpans: [{ scope: SCOPE, spans }] }),
  );
}
