// MySQL/MariaDB client/server protocol wire constants.
// Source: MySQL Source Code Documentation, "Client/Server Protocol"
// (https://dev.mysql.com/doc/dev/mysql-server/latest/PAGE_PROTOCOL.html) and
// MariaDB's "Clients & Connectors > Client/Server Protocol" pages.
//
// Every packet: | payload length (3 bytes LE) | sequence id (1) | payload |
// A payload of exactly 0xffffff bytes continues in the next packet
// (PAGE_PROTOCOL_BASIC_PACKETS "Sending More Than 16Mb").

export const PACKET_HEADER = 4;
export const MAX_PAYLOAD = 0xffffff;

/** The command byte that opens a client packet with sequence id 0 (page "Text Protocol", "Prepared Statements"). */
export const Command = {
  Quit: 0x01,
  InitDb: 0x02,
  Query: 0x03,
  FieldList: 0x04,
  CreateDb: 0x05,
  DropDb: 0x06,
  Refresh: 0x07,
  Shutdown: 0x08,
  Statistics: 0x09,
  ProcessInfo: 0x0a,
  ProcessKill: 0x0c,
  Debug: 0x0d,
  Ping: 0x0e,
  ChangeUser: 0x11,
  BinlogDump: 0x12,
  RegisterSlave: 0x15,
  StmtPrepare: 0x16,
  StmtExecute: 0x17,
  StmtSendLongData: 0x18,
  StmtClose: 0x19,
  StmtReset: 0x1a,
  SetOption: 0x1b,
  StmtFetch: 0x1c,
  BinlogDumpGtid: 0x1e,
  ResetConnection: 0x1f,
  /** MariaDB only (COM_STMT_BULK_EXECUTE). */
  StmtBulkExecute: 0xfa,
} as const;

export const COMMAND_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(Command).map(([name, code]) => [
    code,
    `COM_${name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()}`,
  ]),
);

/** Commands the server never answers (COM_QUIT closes; the two statement ones are fire-and-forget). */
export const UNANSWERED_COMMANDS: ReadonlySet<number> = new Set([
  Command.Quit,
  Command.StmtClose,
  Command.StmtSendLongData,
]);

/** The first payload byte of a server packet where it names the packet (page "Generic Response Packets"). */
export const ResponseHeader = {
  Ok: 0x00,
  /** In the connection phase: AuthMoreData. */
  AuthMoreData: 0x01,
  /** LOCAL INFILE request (0xfb); in a text row, a NULL column. */
  LocalInfile: 0xfb,
  /** EOF, or OK when CLIENT_DEPRECATE_EOF; in the connection phase, AuthSwitchRequest. */
  Eof: 0xfe,
  Err: 0xff,
  /** Initial handshake packet, protocol version 10. */
  HandshakeV10: 0x0a,
} as const;

/** Capability flags (page "Capabilities Flags"). */
export const Capability = {
  ConnectWithDb: 0x8,
  Protocol41: 0x200,
  Ssl: 0x800,
  SecureConnection: 0x8000,
  PluginAuthLenencClientData: 1 << 21,
  DeprecateEof: 1 << 24,
} as const;

/** Server status flags in OK/EOF (SERVER_MORE_RESULTS_EXISTS: another result set follows). */
export const ServerStatus = {
  MoreResultsExist: 0x0008,
} as const;

export const MysqlLimits = {
  /** Payload bytes kept from a command carrying SQL; the rest streams past. */
  keptSqlBytes: 4096,
  /** The handshake response: capabilities (32), user, auth data, database. */
  keptHandshakeBytes: 1024,
  /** A server packet's kept prefix: enough for an ERR message or an OK's fields. */
  keptResponseBytes: 512,
} as const;
