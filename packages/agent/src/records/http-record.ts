import type { HttpExchange } from "../protocols/http1/http1-parser.js";
import { parseTraceParent } from "../protocols/http1/trace-context.js";
import { durationBetween, type ObservedEnds } from "./observed-ends.js";
import type { RequestRecord } from "./request-record.js";

/** Headers copied into attributes, under the names the collector and UI expect. */
const KEPT_HEADERS = {
  host: "http.host",
  "user-agent": "http.user_agent",
  "content-type": "http.response.content_type",
} as const;

/** Attribute values are bounded: a header can be up to the head limit long. */
const MAX_ATTRIBUTE_LENGTH = 256;

export function httpExchangeToRecord(exchange: HttpExchange, ends: ObservedEnds): RequestRecord {
  const { request, response } = exchange;
  const attributes: Record<string, string> = {};
  for (const [header, attribute] of Object.entries(KEPT_HEADERS)) {
    // content-type describes what came back; host and user-agent the request.
    const source = header === "content-type" ? response.head.headers : request.head.headers;
    const value = source.get(header);
    if (value !== undefined) attributes[attribute] = value.slice(0, MAX_ATTRIBUTE_LENGTH);
  }
  attributes["http.version"] = `1.${request.head.minorVersion}`;
  // The caller's span id travels as traceparent's parent-id; both ends of the call
  // report it as the span of this request, so the collector can join the two views.
  const trace = parseTraceParent(request.head.headers.get("traceparent"));
  return {
    protocol: "http",
    side: ends.side,
    startMonotonicNs: exchange.startNs,
    durationNs: durationBetween(exchange.startNs, exchange.endNs),
    client: ends.client,
    server: ends.server,
    operation: request.head.method,
    target: request.head.target,
    status: response.head.status,
    // 5xx is the server failing; 4xx is the caller's mistake and not an error of the service.
    error: response.head.status >= 500,
    requestBytes: request.wireBytes,
    responseBytes: response.wireBytes,
    attributes,
    traceId: trace?.traceId ?? "",
    spanId: trace?.parentSpanId ?? "",
    parentSpanId: "",
    truncated: exchange.truncated,
  };
}
