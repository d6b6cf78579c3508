import { KernelProtocol } from "../../capture/events.js";
import { httpExchangeToRecord } from "../../records/http-record.js";
import type { ProtocolDefinition } from "../protocol-definition.js";
import { Http1Parser, type HttpExchange } from "./http1-parser.js";
import { looksLikeRequestStart, looksLikeResponseStart, startsWithHttp2Preface } from "./message-head.js";

export const http1Definition: ProtocolDefinition<HttpExchange> = {
  name: "http",
  kernelProtocol: KernelProtocol.Http1,
  classifyFirstBytes(bytes) {
    // "PRI * HTTP/2.0" parses as an HTTP/1 request line; it is HTTP/2's preface.
    if (startsWithHttp2Preface(bytes)) return undefined;
    if (looksLikeRequestStart(bytes)) return "request";
    if (looksLikeResponseStart(bytes)) return "response";
    return undefined;
  },
  createParser: () => new Http1Parser(),
  toRecord: httpExchangeToRecord,
};
