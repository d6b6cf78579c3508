import { KernelProtocol } from "../../capture/events.js";
import type { ProtocolDefinition } from "../protocol-definition.js";
import { CLIENT_PREFACE } from "./frame-syntax.js";
import { type Http2Exchange, Http2Parser } from "./http2-parser.js";
import { http2ExchangeToRecord } from "./http2-record.js";

/**
 * HTTP/2 with prior knowledge or after ALPN (h2c upgrades are not followed),
 * gRPC included: records say "grpc" for application/grpc streams.
 */
export const http2Definition: ProtocolDefinition<Http2Exchange> = {
  name: "http2",
  kernelProtocol: KernelProtocol.Http2,
  classifyFirstBytes(bytes) {
    // Only the client preface (§3.4) is distinctive; a server's first SETTINGS
    // frame is nine bytes anyone could send.
    const length = Math.min(bytes.length, CLIENT_PREFACE.length);
    if (length < 4) return undefined;
    return bytes.subarray(0, length).equals(CLIENT_PREFACE.subarray(0, length)) ? "request" : undefined;
  },
  createParser: (options) => new Http2Parser(options),
  toRecord: http2ExchangeToRecord,
};
