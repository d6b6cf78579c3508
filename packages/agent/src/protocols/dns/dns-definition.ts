import { KernelProtocol } from "../../capture/events.js";
import { durationBetween, type ObservedEnds } from "../../records/observed-ends.js";
import type { RequestRecord } from "../../records/request-record.js";
import type { ProtocolDefinition } from "../protocol-definition.js";
import { plausibleHeader } from "./dns-message.js";
import { type DnsExchange, DnsParser } from "./dns-parser.js";
import { DnsFlag, DnsRcode, rcodeName, typeName } from "./dns-wire.js";

/** The answer list is an attribute; a TXT- or A-heavy reply must not make it unbounded. */
const MAX_ANSWERS_ATTRIBUTE = 256;

export const dnsDefinition: ProtocolDefinition<DnsExchange> = {
  name: "dns",
  kernelProtocol: KernelProtocol.Dns,
  classifyFirstBytes(bytes) {
    // A datagram starts with the header; a TCP stream with a length, then the header.
    const at = plausibleHeader(bytes, 0) ? 0 : plausibleHeader(bytes, 2) ? 2 : -1;
    if (at < 0) return undefined;
    return (bytes.readUInt16BE(at + 2) & DnsFlag.QR) === 0 ? "request" : "response";
  },
  createParser: () => new DnsParser(),
  toRecord: dnsExchangeToRecord,
};

export function dnsExchangeToRecord(exchange: DnsExchange, ends: ObservedEnds): RequestRecord {
  const { query, response } = exchange;
  const question = query.question ?? response.question;
  const attributes: Record<string, string> = {
    "dns.rcode": rcodeName(response.rcode),
    "dns.transport": exchange.transport,
    "dns.answer_count": String(response.answerCount),
  };
  const answers = response.answers
    .filter((answer) => answer.value !== "")
    .map((answer) => `${typeName(answer.type)} ${answer.value}`)
    .join(", ");
  if (answers !== "") attributes["dns.answers"] = answers.slice(0, MAX_ANSWERS_ATTRIBUTE);
  // TC: the answer did not fit the datagram; the client will ask again over TCP (RFC 1035 §4.1.1).
  if (response.truncatedFlag) attributes["dns.truncated"] = "true";
  return {
    protocol: "dns",
    side: ends.side,
    startMonotonicNs: exchange.startNs,
    durationNs: durationBetween(exchange.startNs, exchange.endNs),
    client: ends.client,
    server: ends.server,
    operation: question === undefined ? "QUERY" : typeName(question.type),
    target: question?.name ?? "",
    status: response.rcode,
    // NXDOMAIN is an answer ("no such name"); SERVFAIL and REFUSED are the server failing the caller.
    error: response.rcode === DnsRcode.SERVFAIL || response.rcode === DnsRcode.REFUSED,
    requestBytes: query.wireBytes,
    responseBytes: response.wireBytes,
    attributes,
    traceId: "",
    spanId: "",
    parentSpanId: "",
    truncated: exchange.truncated,
  };
}
