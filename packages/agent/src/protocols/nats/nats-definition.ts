import { KernelProtocol } from "../../capture/events.js";
import { durationBetween, type ObservedEnds } from "../../records/observed-ends.js";
import type { RequestRecord } from "../../records/request-record.js";
import { parseTraceParent } from "../http1/trace-context.js";
import type { ProtocolDefinition } from "../protocol-definition.js";
import { type NatsExchange, NatsParser } from "./nats-parser.js";

export function natsExchangeToRecord(exchange: NatsExchange, ends: ObservedEnds): RequestRecord {
  const trace = parseTraceParent(exchange.traceparent);
  return {
    protocol: "nats",
    side: ends.side,
    startMonotonicNs: exchange.startNs,
    durationNs: durationBetween(exchange.startNs, exchange.endNs),
    client: ends.client,
    server: ends.server,
    operation: exchange.operation,
    target: exchange.target,
    status: exchange.status,
    error: exchange.error,
    requestBytes: exchange.requestBytes,
    responseBytes: exchange.responseBytes,
    attributes: exchange.attributes,
    // As for HTTP: the publisher's span travels as traceparent's parent-id.
    traceId: trace?.traceId ?? "",
    spanId: trace?.parentSpanId ?? "",
    parentSpanId: "",
    truncated: exchange.truncated,
  };
}

export const natsDefinition: ProtocolDefinition<NatsExchange> = {
  name: "nats",
  kernelProtocol: KernelProtocol.Nats,
  classifyFirstBytes(bytes) {
    // The server speaks first with INFO {json}; the client's first words are CONNECT {json}.
    const head = bytes.toString("latin1", 0, Math.min(bytes.length, 9));
    if (/^CONNECT[ \t]\{/i.test(head)) return "request";
    if (/^INFO[ \t]\{/i.test(head)) return "response";
    return undefined;
  },
  createParser: () => new NatsParser(),
  toRecord: natsExchangeToRecord,
};
