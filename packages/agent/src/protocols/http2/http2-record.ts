import { durationBetween, type ObservedEnds } from "../../records/observed-ends.js";
import type { RequestRecord } from "../../records/request-record.js";
import { parseTraceParent } from "../http1/trace-context.js";
import { errorCodeName } from "./frame-syntax.js";
import type { Http2Exchange } from "./http2-parser.js";

/** Request headers copied into attributes (response content-type is added separately). */
const KEPT_REQUEST_HEADERS = {
  ":authority": "http.host",
  "user-agent": "http.user_agent",
  tracestate: "trace.tracestate",
} as const;

/** Attribute values are bounded: a header value can be as long as its block. */
const MAX_ATTRIBUTE_LENGTH = 256;

/** Records carry this status when a gRPC stream's grpc-status could not be read. */
export const UNKNOWN_STATUS = -1;

export function http2ExchangeToRecord(exchange: Http2Exchange, ends: ObservedEnds): RequestRecord {
  const { requestHeaders, responseHeaders, responseTrailers } = exchange;
  const attributes: Record<string, string> = {
    "http.version": "2",
    "http2.stream_id": `${exchange.streamId}`,
  };
  for (const [header, attribute] of Object.entries(KEPT_REQUEST_HEADERS)) {
    const value = requestHeaders.get(header);
    if (value !== undefined) attributes[attribute] = bounded(value);
  }
  const contentType = responseHeaders.get("content-type") ?? requestHeaders.get("content-type");
  if (contentType !== undefined) attributes["http.response.content_type"] = bounded(contentType);
  if (exchange.reset !== undefined) {
    attributes["http2.reset_by"] = exchange.reset.by;
    attributes["http2.error_code"] = errorCodeName(exchange.reset.errorCode);
  }
  if (exchange.pushed) attributes["http2.push"] = "true";
  if (exchange.joinedMidConnection) attributes["http2.joined_mid_connection"] = "true";
  if (exchange.headersIncomplete) attributes["http2.headers_incomplete"] = "true";

  const path = requestHeaders.get(":path") ?? "";
  const httpStatus = Number(responseHeaders.get(":status") ?? 0) || 0;
  const grpc = contentType?.startsWith("application/grpc") === true;
  let protocol: RequestRecord["protocol"] = "http2";
  let operation = requestHeaders.get(":method") ?? "";
  let status = httpStatus;
  // 5xx is the server failing (as for HTTP/1); a reset stream never completed.
  let error = httpStatus >= 500 || exchange.reset !== undefined;
  if (grpc) {
    protocol = "grpc";
    operation = path;
    attributes["rpc.system"] = "grpc";
    // gRPC over HTTP/2: ":path" is "/" Service-Name "/" Method-Name.
    const methodAt = path.lastIndexOf("/");
    if (path.startsWith("/") && methodAt > 0) {
      attributes["rpc.service"] = path.slice(1, methodAt);
      attributes["rpc.method"] = path.slice(methodAt + 1);
    }
    const grpcStatus = responseTrailers.get("grpc-status");
    status = grpcStatus !== undefined && /^\d+$/.test(grpcStatus) ? Number(grpcStatus) : UNKNOWN_STATUS;
    if (status !== UNKNOWN_STATUS) attributes["rpc.grpc.status_code"] = `${status}`;
    const message = responseTrailers.get("grpc-message");
    if (message !== undefined) attributes["grpc.message"] = bounded(percentDecode(message));
    if (exchange.requestMessages !== undefined)
      attributes["grpc.request_messages"] = `${exchange.requestMessages}`;
    if (exchange.responseMessages !== undefined)
      attributes["grpc.response_messages"] = `${exchange.responseMessages}`;
    // Any status but OK (0) is a failed call; so is one that never reported a status.
    error = status !== 0 || exchange.reset !== undefined;
  }
  const trace = parseTraceParent(requestHeaders.get("traceparent"));
  return {
    protocol,
    side: ends.side,
    startMonotonicNs: exchange.startNs,
    durationNs: durationBetween(exchange.startNs, exchange.endNs),
    client: ends.client,
    server: ends.server,
    operation,
    target: path,
    status,
    error,
    requestBytes: exchange.requestBytes,
    responseBytes: exchange.responseBytes,
    attributes,
    traceId: trace?.traceId ?? "",
    spanId: trace?.parentSpanId ?? "",
    parentSpanId: "",
    truncated: exchange.truncated,
  };
}

function bounded(value: string): string {
  return value.slice(0, MAX_ATTRIBUTE_LENGTH);
}

/** grpc-message is percent-encoded UTF-8 (gRPC over HTTP/2, "Responses"); bad escapes stay as sent. */
function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
