import type { KernelProtocol } from "../capture/events.js";
import type { ObservedEnds } from "../records/observed-ends.js";
import type { ProtocolName, RequestRecord } from "../records/request-record.js";
import type { ConnectionProtocolParser } from "./message-decoder.js";

/** What a parser is told by the pipeline's configuration. */
export interface ParserOptions {
  /**
   * Lower-case header names whose values a parser must not keep even in its own
   * state (HPACK's dynamic table lives as long as the connection).
   */
  readonly redactedHeaders?: ReadonlySet<string>;
}

/** What the first bytes a process wrote or read on a connection are, for this protocol. */
export type FirstBytesKind = "request" | "response" | undefined;

/**
 * Everything the pipeline needs to know about one protocol. Each protocol folder
 * exports one definition; registry.ts lists them.
 */
export interface ProtocolDefinition<Exchange = unknown> {
  /** The protocol's name in records (a definition may also emit others: http2 → grpc). */
  readonly name: ProtocolName;
  /** The tag the kernel's inference gives this protocol's connections (bpf/protocols/). */
  readonly kernelProtocol: KernelProtocol;
  /**
   * A cheap check of a stream's first bytes, used when the kernel's tag is missing
   * (a connection older than the agent) and to tell the client from the server
   * when the kernel saw neither connect() nor accept(). Must not throw.
   */
  classifyFirstBytes(bytes: Buffer): FirstBytesKind;
  /** A fresh parser for one connection. */
  createParser(options?: ParserOptions): ConnectionProtocolParser<unknown, unknown, Exchange>;
  /** The record of one exchange, seen from `ends`. */
  toRecord(exchange: Exchange, ends: ObservedEnds): RequestRecord;
}
