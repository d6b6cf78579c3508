import { KernelProtocol } from "../../capture/events.js";
import { durationBetween, type ObservedEnds } from "../../records/observed-ends.js";
import type { RequestRecord } from "../../records/request-record.js";
import type { ProtocolDefinition } from "../protocol-definition.js";
import { type MqttExchange, MqttParser } from "./mqtt-parser.js";

export function mqttExchangeToRecord(exchange: MqttExchange, ends: ObservedEnds): RequestRecord {
  return {
    protocol: "mqtt",
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
    traceId: "",
    spanId: "",
    parentSpanId: "",
    truncated: exchange.truncated,
  };
}

/** 0x10, a Remaining Length, then the protocol name "MQTT" (3.1.1, 5.0) or "MQIsdp" (3.1). */
function looksLikeConnect(bytes: Buffer): boolean {
  if (bytes[0] !== 0x10) return false;
  let index = 1;
  while (index < 5 && ((bytes[index] ?? 0) & 0x80) !== 0) index++;
  const name = bytes.toString("latin1", index + 1, index + 9);
  return name.startsWith("\u0004MQTT") || name.startsWith("\u0006MQIsdp");
}

export const mqttDefinition: ProtocolDefinition<MqttExchange> = {
  name: "mqtt",
  kernelProtocol: KernelProtocol.Mqtt,
  classifyFirstBytes(bytes) {
    if (looksLikeConnect(bytes)) return "request";
    // CONNACK: 0x20, Remaining Length 2 (3.1.1) or more (5.0 properties), session-present flag 0 or 1.
    if (bytes[0] === 0x20 && (bytes[1] ?? 0) >= 2 && (bytes[1] ?? 0) < 0x80 && (bytes[2] ?? 2) <= 1) {
      return bytes.length >= 2 + (bytes[1] ?? 0) ? "response" : undefined;
    }
    return undefined;
  },
  createParser: () => new MqttParser(),
  toRecord: mqttExchangeToRecord,
};
