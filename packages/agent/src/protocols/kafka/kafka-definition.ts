import { KernelProtocol } from "../../capture/events.js";
import { durationBetween, type ObservedEnds } from "../../records/observed-ends.js";
import type { RequestRecord } from "../../records/request-record.js";
import { parseTraceParent } from "../http1/trace-context.js";
import type { ProtocolDefinition } from "../protocol-definition.js";
import { type KafkaExchange, KafkaParser } from "./kafka-parser.js";
import { API_NAMES, ApiKey, ERROR_NAMES, MAX_KNOWN_API_KEY, MAX_KNOWN_API_VERSION } from "./kafka-wire.js";

const MAX_ATTRIBUTE_LENGTH = 256;

export const kafkaDefinition: ProtocolDefinition<KafkaExchange> = {
  name: "kafka",
  kernelProtocol: KernelProtocol.Kafka,
  classifyFirstBytes(bytes) {
    // A client speaks first (ApiVersions, usually); a response has no recognisable header.
    if (bytes.length < 14) return undefined;
    const size = bytes.readInt32BE(0);
    const apiKey = bytes.readInt16BE(4);
    const apiVersion = bytes.readInt16BE(6);
    const clientIdLength = bytes.readInt16BE(12);
    const sane =
      size >= 10 &&
      apiKey >= 0 &&
      apiKey <= MAX_KNOWN_API_KEY &&
      apiVersion >= 0 &&
      apiVersion <= MAX_KNOWN_API_VERSION &&
      clientIdLength >= -1 &&
      clientIdLength <= size - 10;
    return sane && API_NAMES.has(apiKey) ? "request" : undefined;
  },
  createParser: () => new KafkaParser(),
  toRecord: kafkaExchangeToRecord,
};

export function kafkaExchangeToRecord(exchange: KafkaExchange, ends: ObservedEnds): RequestRecord {
  const { request, response, errorCode } = exchange;
  const attributes: Record<string, string> = {
    "kafka.api_version": String(request.apiVersion),
    "kafka.correlation_id": String(request.correlationId),
  };
  if (request.clientId !== null && request.clientId !== "")
    attributes["kafka.client_id"] = request.clientId.slice(0, MAX_ATTRIBUTE_LENGTH);
  if (request.topics.length > 0)
    attributes["kafka.topics"] = request.topics.join(",").slice(0, MAX_ATTRIBUTE_LENGTH);
  if (request.partitions > 0) attributes["kafka.partitions"] = String(request.partitions);
  if (request.acks !== undefined) attributes["kafka.acks"] = String(request.acks);
  if (errorCode !== 0) attributes["kafka.error"] = ERROR_NAMES.get(errorCode) ?? String(errorCode);
  const operation = API_NAMES.get(request.apiKey) ?? `ApiKey${request.apiKey}`;
  // A produced record's traceparent header: the producer's span for this call.
  const trace = parseTraceParent(request.traceParent);
  return {
    protocol: "kafka",
    side: ends.side,
    startMonotonicNs: exchange.startNs,
    durationNs: durationBetween(exchange.startNs, exchange.endNs),
    client: ends.client,
    server: ends.server,
    operation,
    // Produce and Fetch are about topics; Metadata with no topics asks about all of them.
    target: request.topics[0] ?? (request.apiKey === ApiKey.Metadata ? "*" : ""),
    status: errorCode,
    error: errorCode !== 0,
    requestBytes: request.wireBytes,
    responseBytes: response?.wireBytes ?? 0,
    attributes,
    traceId: trace?.traceId ?? "",
    spanId: trace?.parentSpanId ?? "",
    parentSpanId: "",
    truncated: exchange.truncated,
  };
}
