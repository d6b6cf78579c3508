import { KernelProtocol } from "../../capture/events.js";
import { durationBetween, type ObservedEnds } from "../../records/observed-ends.js";
import type { RequestRecord } from "../../records/request-record.js";
import type { ProtocolDefinition } from "../protocol-definition.js";
import type { MongoExchange } from "./mongo-parser.js";
import { MongoParser } from "./mongo-parser.js";
import { HEADER_BYTES, OpCode } from "./mongo-wire.js";

const MAX_ATTRIBUTE_LENGTH = 256;

export const mongoDefinition: ProtocolDefinition<MongoExchange> = {
  name: "mongo",
  kernelProtocol: KernelProtocol.Mongo,
  classifyFirstBytes(bytes) {
    if (bytes.length < HEADER_BYTES) return undefined;
    const length = bytes.readInt32LE(0);
    const opCode = bytes.readInt32LE(12);
    if (length < HEADER_BYTES + 4 || length > 48_000_000) return undefined;
    // A reply names the request it answers; a request answers nothing (responseTo 0).
    if (opCode === OpCode.Reply) return "response";
    if (opCode !== OpCode.Msg && opCode !== OpCode.Query) return undefined;
    return bytes.readInt32LE(8) === 0 ? "request" : "response";
  },
  createParser: () => new MongoParser(),
  toRecord: mongoExchangeToRecord,
};

export function mongoExchangeToRecord(exchange: MongoExchange, ends: ObservedEnds): RequestRecord {
  const { request, response } = exchange;
  const attributes: Record<string, string> = {};
  const put = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== "") attributes[name] = String(value).slice(0, MAX_ATTRIBUTE_LENGTH);
  };
  put("mongo.database", request.database);
  put("mongo.opcode", OPCODE_NAMES.get(request.opCode));
  put("mongo.errmsg", response?.errmsg);
  put("mongo.code_name", response?.codeName);
  for (const sequence of request.sequences) put(`mongo.sequence.${sequence.identifier}`, sequence.documents);
  if (request.moreToCome) attributes["mongo.more_to_come"] = "true";
  // ok: 0 is a failed command (its code says why); no reply at all (w:0) is not an error.
  const failed = response?.ok === 0;
  return {
    protocol: "mongo",
    side: ends.side,
    startMonotonicNs: exchange.startNs,
    durationNs: durationBetween(exchange.startNs, exchange.endNs),
    client: ends.client,
    server: ends.server,
    operation: request.command ?? "",
    target:
      request.collection === undefined
        ? (request.database ?? "")
        : `${request.database ?? ""}.${request.collection}`,
    status: failed ? (response?.code ?? 0) : 0,
    error: failed,
    requestBytes: request.wireBytes,
    responseBytes: response?.wireBytes ?? 0,
    attributes,
    traceId: "",
    spanId: "",
    parentSpanId: "",
    truncated: exchange.truncated,
  };
}

const OPCODE_NAMES = new Map<number, string>([
  [OpCode.Msg, "OP_MSG"],
  [OpCode.Query, "OP_QUERY"],
  [OpCode.Compressed, "OP_COMPRESSED"],
]);
