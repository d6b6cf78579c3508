import { KernelProtocol } from "../../capture/events.js";
import type { FirstBytesKind, ProtocolDefinition } from "../protocol-definition.js";
import type { PostgresExchange } from "./postgres-parser.js";
import { PostgresParser } from "./postgres-parser.js";
import { postgresExchangeToRecord } from "./postgres-record.js";
import { BackendMessage, FrontendMessage, StartupCode } from "./postgres-wire.js";
import type { SqlTextOptions } from "./sql-text.js";

function uint32(bytes: Buffer, at: number): number | undefined {
  return bytes.length >= at + 4 ? bytes.readUInt32BE(at) : undefined;
}

/**
 * A connection's first bytes: the client opens with a startup-family message
 * (length, then protocol 3.x or the SSL/GSS/cancel code); a server's first bytes
 * answer it ('N'/'S' alone, or 'R' Authentication / 'E' with a small length).
 * A whole simple Query counts too,
 * for connections older than the agent.
 */
export function classifyPostgresFirstBytes(bytes: Buffer): FirstBytesKind {
  // The one-byte answer to SSLRequest (§54.2.10).
  if (bytes.length === 1 && (bytes[0] === 0x4e || bytes[0] === 0x53)) return "response";
  const length = uint32(bytes, 0);
  const code = uint32(bytes, 4);
  if (length !== undefined && code !== undefined && length >= 8 && length <= 10_000) {
    if (code === StartupCode.SslRequest || code === StartupCode.GssEncRequest || code >>> 16 === 3)
      return "request";
  }
  const typed = uint32(bytes, 1);
  if (typed === undefined || typed < 4 || typed >= 1 << 24) return undefined;
  if (bytes[0] === BackendMessage.Authentication && typed >= 8 && typed <= 64) return "response";
  // A Query whose whole text is in view and ends with its NUL.
  if (bytes[0] === FrontendMessage.Query && typed >= 5 && bytes[typed] === 0) return "request";
  return undefined;
}

/** The PostgreSQL definition, with SQL literal masking when asked (off by default). */
export function createPostgresDefinition(options: SqlTextOptions = {}): ProtocolDefinition<PostgresExchange> {
  return {
    name: "postgres",
    kernelProtocol: KernelProtocol.Postgres,
    classifyFirstBytes: classifyPostgresFirstBytes,
    createParser: () => new PostgresParser(),
    toRecord: (exchange, ends) => postgresExchangeToRecord(exchange, ends, options),
  };
}

export const postgresDefinition: ProtocolDefinition<PostgresExchange> = createPostgresDefinition();
