import type { ConnectionProtocolParser, MessageTiming } from "../message-decoder.js";
import {
  clientHandshake,
  columnCount,
  commandStatementId,
  commandText,
  type ErrFields,
  errFields,
  okFields,
  prepareOk,
  serverHandshake,
} from "./mysql-messages.js";
import { type MysqlPacket, MysqlPacketDecoder } from "./mysql-packets.js";
import {
  Capability,
  Command,
  MAX_PAYLOAD,
  ResponseHeader,
  ServerStatus,
  UNANSWERED_COMMANDS,
} from "./mysql-wire.js";

export interface MysqlRequest {
  /** The connection phase (handshake response and auth exchange), or one command. */
  kind: "connect" | "command";
  /** The command byte; 0 for the connect phase. */
  command: number;
  /** COM_QUERY/COM_STMT_PREPARE text; for COM_STMT_EXECUTE, the prepared statement's (known at the answer). */
  sql: string | undefined;
  statementId: number | undefined;
  /** The handshake response's user and database (never its auth data). */
  user: string | undefined;
  database: string | undefined;
  wireBytes: number;
}

export interface MysqlResponse {
  error: ErrFields | undefined;
  /** OK's affected rows. */
  affectedRows: number | undefined;
  /** Result sets: columns of the last one, rows of all. */
  columns: number | undefined;
  rows: number;
  /** COM_STMT_PREPARE: the statement id the server gave. */
  preparedStatementId: number | undefined;
  wireBytes: number;
}

export interface MysqlExchange {
  request: MysqlRequest;
  response: MysqlResponse;
  session: { user: string | undefined; database: string | undefined; serverVersion: string | undefined };
  startNs: bigint;
  endNs: bigint;
  truncated: boolean;
}

interface PendingCommand {
  request: MysqlRequest;
  startNs: bigint;
  truncated: boolean;
}

/** Where the head command's response is (page "COM_QUERY Response", "COM_STMT_PREPARE Response"). */
type ResponsePhase =
  | { name: "first" }
  | { name: "columns"; remaining: number }
  | { name: "columns-eof" }
  | { name: "rows" }
  | { name: "definitions"; remaining: number }
  /** After a resync: only a packet that ends a response means anything. */
  | { name: "terminal-only" };

const MAX_PENDING = 64;
/** Prepared statements remembered per connection (the server's default max_prepared_stmt_count is far larger; the bound is ours). */
const MAX_STATEMENTS = 256;
const RESULT_SET_COMMANDS: ReadonlySet<number> = new Set([
  Command.Query,
  Command.StmtExecute,
  Command.StmtBulkExecute,
]);

function emptyResponse(): MysqlResponse {
  return {
    error: undefined,
    affectedRows: undefined,
    columns: undefined,
    rows: 0,
    preparedStatementId: undefined,
    wireBytes: 0,
  };
}

/** A short 0xfe packet: EOF_Packet, or the OK_Packet that replaces it under CLIENT_DEPRECATE_EOF. */
function isEndOfRows(packet: MysqlPacket): boolean {
  return packet.body[0] === ResponseHeader.Eof && packet.payloadLength < MAX_PAYLOAD;
}

/**
 * MySQL/MariaDB on one connection. The client waits for each answer, so
 * commands pair first in, first out; commands the server never answers
 * (COM_QUIT, COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA) wait in the queue only
 * to take effect in order (a statement is forgotten after the answers before its close).
 */
export class MysqlParser implements ConnectionProtocolParser<MysqlPacket, MysqlPacket, MysqlExchange> {
  readonly protocol = "mysql";
  readonly requests = new MysqlPacketDecoder("client");
  readonly responses = new MysqlPacketDecoder("server");
  private readonly pending: PendingCommand[] = [];
  private readonly statements = new Map<number, string>();
  private session: MysqlExchange["session"] = {
    user: undefined,
    database: undefined,
    serverVersion: undefined,
  };
  private clientCapabilities: number | undefined;
  private serverCapabilities: number | undefined;
  private response = emptyResponse();
  private responseTruncated = false;
  private phase: ResponsePhase = { name: "first" };
  droppedRequests = 0;

  get unansweredRequests(): number {
    return this.pending.filter((command) => !UNANSWERED_COMMANDS.has(command.request.command)).length;
  }

  /** CLIENT_DEPRECATE_EOF when both ends set it; assumed off when the handshake was not seen. */
  private get deprecateEof(): boolean {
    const both = (this.clientCapabilities ?? 0) & (this.serverCapabilities ?? Capability.DeprecateEof);
    return (both & Capability.DeprecateEof) !== 0;
  }

  onRequest(packet: MysqlPacket, timing: MessageTiming): void {
    const truncated = timing.truncated || packet.resynced;
    if (packet.sequenceId !== 0) {
      const last = this.pending[this.pending.length - 1];
      if (packet.sequenceId === 1 && last?.request.kind !== "connect") {
        this.handshakeResponse(packet, timing);
      } else if (last !== undefined) {
        // Auth switch responses, LOCAL INFILE contents: part of the exchange under way, never read.
        last.request.wireBytes += packet.wireBytes;
        last.truncated ||= truncated;
      }
      return;
    }
    const command = packet.body[0] ?? 0;
    const request = this.push("command", command, packet, timing);
    if (command === Command.Query || command === Command.StmtPrepare || command === Command.InitDb)
      request.sql = commandText(packet.body);
    else if (request.command !== Command.Quit) request.statementId = commandStatementId(packet.body);
    this.applyUnanswered();
  }

  onResponse(packet: MysqlPacket, timing: MessageTiming): MysqlExchange | undefined {
    const first = packet.body[0];
    if (packet.sequenceId === 0 && first === ResponseHeader.HandshakeV10) {
      const handshake = serverHandshake(packet.body);
      this.serverCapabilities = handshake.capabilities;
      this.session = { ...this.session, serverVersion: handshake.serverVersion };
      this.response.wireBytes += packet.wireBytes;
      return undefined;
    }
    const head = this.pending[0];
    if (head === undefined) return this.discardResponse();
    this.response.wireBytes += packet.wireBytes;
    this.responseTruncated ||= timing.truncated || packet.resynced;
    if (packet.resynced) this.phase = { name: "terminal-only" };
    if (head.request.kind === "connect") {
      // AuthSwitchRequest (0xfe) and AuthMoreData (0x01) continue the exchange.
      if (first === ResponseHeader.Ok) return this.complete(timing);
      if (first === ResponseHeader.Err) return this.fail(packet, timing);
      return undefined;
    }
    return this.commandResponse(head.request, packet, timing);
  }

  private commandResponse(
    request: MysqlRequest,
    packet: MysqlPacket,
    timing: MessageTiming,
  ): MysqlExchange | undefined {
    const first = packet.body[0];
    const response = this.response;
    switch (this.phase.name) {
      case "first":
        if (first === ResponseHeader.Err) return this.fail(packet, timing);
        if (first === ResponseHeader.Ok && request.command === Command.StmtPrepare) {
          const prepared = prepareOk(packet.body);
          if (prepared === undefined) return this.complete(timing);
          response.preparedStatementId = prepared.statementId;
          if (request.sql !== undefined) this.rememberStatement(prepared.statementId, request.sql);
          const eofs = this.deprecateEof ? 0 : Number(prepared.params > 0) + Number(prepared.columns > 0);
          const remaining = prepared.params + prepared.columns + eofs;
          if (remaining === 0) return this.complete(timing);
          this.phase = { name: "definitions", remaining };
          return undefined;
        }
        if (first === ResponseHeader.Ok || first === ResponseHeader.Eof)
          return this.endOfResult(packet, timing);
        // LOCAL INFILE: the client sends the file, then the server's OK ends the command.
        if (first === ResponseHeader.LocalInfile) return undefined;
        if (!RESULT_SET_COMMANDS.has(request.command)) return this.complete(timing);
        response.columns = columnCount(packet.body);
        if (response.columns === undefined || response.columns === 0) return this.complete(timing);
        this.phase = { name: "columns", remaining: response.columns };
        return undefined;
      case "columns":
        this.phase.remaining--;
        if (this.phase.remaining === 0)
          this.phase = this.deprecateEof ? { name: "rows" } : { name: "columns-eof" };
        return undefined;
      case "columns-eof":
        this.phase = { name: "rows" };
        if (isEndOfRows(packet) && packet.payloadLength < 7) return undefined;
        // No EOF after the columns: the ends agreed on CLIENT_DEPRECATE_EOF unseen by us.
        return this.commandResponse(request, packet, timing);
      case "rows":
        if (first === ResponseHeader.Err) return this.fail(packet, timing);
        if (isEndOfRows(packet)) return this.endOfResult(packet, timing);
        response.rows++;
        return undefined;
      case "definitions":
        this.phase.remaining--;
        return this.phase.remaining <= 0 ? this.complete(timing) : undefined;
      case "terminal-only":
        if (first === ResponseHeader.Err) return this.fail(packet, timing);
        if (first === ResponseHeader.Ok || isEndOfRows(packet)) return this.endOfResult(packet, timing);
        return undefined;
    }
  }

  /** An OK or EOF that ends a result; another result follows when SERVER_MORE_RESULTS_EXISTS is set. */
  private endOfResult(packet: MysqlPacket, timing: MessageTiming): MysqlExchange | undefined {
    const { affectedRows, statusFlags } = okFields(packet.body, packet.payloadLength);
    if (this.phase.name === "first" || this.phase.name === "terminal-only")
      this.response.affectedRows = affectedRows;
    if (statusFlags & ServerStatus.MoreResultsExist) {
      this.phase = { name: "first" };
      return undefined;
    }
    return this.complete(timing);
  }

  private fail(packet: MysqlPacket, timing: MessageTiming): MysqlExchange | undefined {
    this.response.error = errFields(packet.body);
    return this.complete(timing);
  }

  private handshakeResponse(packet: MysqlPacket, timing: MessageTiming): void {
    const handshake = clientHandshake(packet.body, packet.payloadLength);
    if (handshake === undefined) return;
    this.clientCapabilities = handshake.capabilities;
    if (handshake.sslRequest) {
      // TLS follows on both streams (page "SSL Handshake"); nothing more is readable.
      this.requests.encrypted();
      this.responses.encrypted();
      return;
    }
    const request = this.push("connect", 0, packet, timing);
    request.user = handshake.user;
    request.database = handshake.database;
    this.session = { ...this.session, user: handshake.user, database: handshake.database };
  }

  private push(kind: MysqlRequest["kind"], command: number, packet: MysqlPacket, timing: MessageTiming) {
    if (this.pending.length >= MAX_PENDING) {
      this.pending.shift();
      this.droppedRequests++;
    }
    const request: MysqlRequest = {
      kind,
      command,
      sql: undefined,
      statementId: undefined,
      user: undefined,
      database: undefined,
      wireBytes: packet.wireBytes,
    };
    this.pending.push({
      request,
      startNs: timing.firstByteNs,
      truncated: timing.truncated || packet.resynced,
    });
    return request;
  }

  private complete(timing: MessageTiming): MysqlExchange | undefined {
    const command = this.pending.shift();
    const response = this.response;
    const truncated = this.responseTruncated;
    this.response = emptyResponse();
    this.responseTruncated = false;
    this.phase = { name: "first" };
    if (command === undefined) return undefined;
    const { request } = command;
    if (request.command === Command.StmtExecute && request.statementId !== undefined)
      request.sql = this.statements.get(request.statementId);
    if (request.command === Command.InitDb && response.error === undefined && request.sql !== undefined)
      this.session = { ...this.session, database: request.sql };
    const exchange: MysqlExchange = {
      request,
      response,
      session: this.session,
      startNs: command.startNs,
      endNs: timing.lastByteNs,
      truncated: command.truncated || truncated,
    };
    this.applyUnanswered();
    return exchange;
  }

  /** Commands at the head that get no answer take effect now, in order. */
  private applyUnanswered(): void {
    for (let head = this.pending[0]; head !== undefined; head = this.pending[0]) {
      if (!UNANSWERED_COMMANDS.has(head.request.command)) return;
      this.pending.shift();
      if (head.request.command === Command.StmtClose && head.request.statementId !== undefined)
        this.statements.delete(head.request.statementId);
    }
  }

  private rememberStatement(id: number, sql: string): void {
    this.statements.delete(id);
    this.statements.set(id, sql);
    if (this.statements.size > MAX_STATEMENTS)
      this.statements.delete(this.statements.keys().next().value as number);
  }

  private discardResponse(): undefined {
    this.response = emptyResponse();
    this.responseTruncated = false;
    this.phase = { name: "first" };
    return undefined;
  }
}
