import { KernelProtocol } from "../../capture/events.js";
import { durationBetween, type ObservedEnds } from "../../records/observed-ends.js";
import type { RequestRecord } from "../../records/request-record.js";
import type { ProtocolDefinition } from "../protocol-definition.js";
import { type RedisExchange, RedisParser } from "./redis-parser.js";
import { RESP_TYPE_NAMES, RespType } from "./resp-syntax.js";

/** "*<count>\r\n$<length>\r\n": how every client library frames a command. */
const COMMAND_START = /^\*[1-9]\d{0,6}\r\n\$[1-9]\d{0,8}\r\n[A-Za-z]/;
/** Replies a connection's first read commonly holds; kept narrow so other protocols are not claimed. */
const REPLY_START =
  /^(\+(OK|PONG)\r\n|-(ERR|NOAUTH|WRONGPASS|NOPERM|WRONGTYPE)[ \r]|%[1-9]\d?\r\n\$6\r\nserver\r\n)/;

/** Error codes are the first word of an error reply, in upper case by convention (redis.io "Simple errors"). */
const ERROR_CODE = /^[A-Z][A-Z0-9_]*(?= |$)/;

export function redisExchangeToRecord(exchange: RedisExchange, ends: ObservedEnds): RequestRecord {
  const { reply } = exchange;
  const error = reply.type === RespType.SimpleError || reply.type === RespType.BulkError;
  const attributes: Record<string, string> = {
    "redis.reply_type": reply.length === -1 ? "null" : (RESP_TYPE_NAMES.get(reply.type) ?? "unknown"),
  };
  if (error) {
    attributes["redis.error_prefix"] = ERROR_CODE.exec(reply.text)?.[0] ?? "";
    attributes["redis.error"] = reply.text;
  }
  return {
    protocol: "redis",
    side: ends.side,
    startMonotonicNs: exchange.startNs,
    durationNs: durationBetween(exchange.startNs, exchange.endNs),
    client: ends.client,
    server: ends.server,
    operation: exchange.command.operation,
    target: exchange.command.target,
    // RESP has no status codes: 0, and `error` says whether the reply was an error.
    status: 0,
    error,
    requestBytes: exchange.requestBytes,
    responseBytes: reply.wireBytes,
    attributes,
    traceId: "",
    spanId: "",
    parentSpanId: "",
    truncated: exchange.truncated,
  };
}

export const redisDefinition: ProtocolDefinition<RedisExchange> = {
  name: "redis",
  kernelProtocol: KernelProtocol.Redis,
  classifyFirstBytes(bytes) {
    const head = bytes.toString("latin1", 0, Math.min(bytes.length, 32));
    if (COMMAND_START.test(head)) return "request";
    if (REPLY_START.test(head)) return "response";
    return undefined;
  },
  createParser: () => new RedisParser(),
  toRecord: redisExchangeToRecord,
};
