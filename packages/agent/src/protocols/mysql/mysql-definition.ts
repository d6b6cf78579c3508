import { KernelProtocol } from "../../capture/events.js";
import type { SqlTextOptions } from "../postgres/sql-text.js";
import type { FirstBytesKind, ProtocolDefinition } from "../protocol-definition.js";
import { type MysqlExchange, MysqlParser } from "./mysql-parser.js";
import { mysqlExchangeToRecord } from "./mysql-record.js";
import { Capability, Command, ResponseHeader } from "./mysql-wire.js";

function payloadLength(bytes: Buffer): number | undefined {
  return bytes.length >= 5 ? bytes.readUIntLE(0, 3) : undefined;
}

/**
 * A connection's first bytes. The server speaks first: a HandshakeV10 packet
 * (sequence 0, protocol 10, a printable version string). The client's first
 * packet is its handshake response (sequence 1, CLIENT_PROTOCOL_41 set), or on
 * a connection older than the agent a COM_QUERY whose whole payload is in view.
 */
export function classifyMysqlFirstBytes(bytes: Buffer): FirstBytesKind {
  const length = payloadLength(bytes);
  if (length === undefined || length === 0) return undefined;
  const sequenceId = bytes[3];
  if (sequenceId === 0 && bytes[4] === ResponseHeader.HandshakeV10 && length >= 40 && length < 1024) {
    const version = bytes[5] ?? 0;
    return version >= 0x30 && version <= 0x39 ? "response" : undefined;
  }
  if (sequenceId === 1 && length >= 32 && length < 4096 && bytes.length >= 8) {
    const capabilities = bytes.readUInt32LE(4);
    return capabilities & Capability.Protocol41 ? "request" : undefined;
  }
  if (sequenceId === 0 && bytes[4] === Command.Query && length >= 2 && bytes.length === length + 4)
    return "request";
  return undefined;
}

/** The MySQL/MariaDB definition, with SQL literal masking when asked (off by default). */
export function createMysqlDefinition(options: SqlTextOptions = {}): ProtocolDefinition<MysqlExchange> {
  return {
    name: "mysql",
    kernelProtocol: KernelProtocol.Mysql,
    classifyFirstBytes: classifyMysqlFirstBytes,
    createParser: () => new MysqlParser(),
    toRecord: (exchange, ends) => mysqlExchangeToRecord(exchange, ends, options),
  };
}

export const mysqlDefinition: ProtocolDefinition<MysqlExchange> = createMysqlDefinition();
