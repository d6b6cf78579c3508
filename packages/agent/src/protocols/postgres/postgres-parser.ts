import type { ConnectionProtocolParser, MessageTiming } from "../message-decoder.js";
import { type PostgresFrame, PostgresFrameDecoder } from "./postgres-frames.js";
import {
  authenticationCode,
  bindMessage,
  commandTag,
  type ErrorFields,
  errorFields,
  executePortal,
  fieldCount,
  parseMessage,
  queryText,
  startupParameters,
  targetedMessage,
} from "./postgres-messages.js";
import {
  AuthenticationCode,
  BackendMessage,
  EncryptionAnswer,
  FrontendMessage,
  StartupCode,
} from "./postgres-wire.js";

/**
 * What a client asked in one round that ReadyForQuery closes: a simple Query,
 * an extended-protocol batch up to its Sync, a FunctionCall, or the startup
 * (StartupMessage and its authentication messages). An SSLRequest is answered
 * by one byte instead.
 */
export type PostgresRequestKind = "startup" | "encryption" | "simple" | "extended" | "function";

export interface PostgresRequest {
  kind: PostgresRequestKind;
  /** The statement run (the first Execute's, or the Query's), undefined when none. */
  sql: string | undefined;
  /** The prepared statement's name when a named one was executed. */
  statementName: string | undefined;
  /** StartupMessage's user and database (never the password, which is not read). */
  user: string | undefined;
  database: string | undefined;
  wireBytes: number;
}

export interface PostgresResponse {
  /** Columns in the last RowDescription. */
  columns: number | undefined;
  /** DataRow messages. */
  dataRows: number;
  /** The last CommandComplete's tag and its row count. */
  commandTag: string | undefined;
  rows: number | undefined;
  /** The first ErrorResponse. */
  error: ErrorFields | undefined;
  /** Startup: the authentication the server asked for ("sasl", "md5"…). */
  authentication: string | undefined;
  /** Encryption request: whether the server accepted it. */
  encryptionAccepted: boolean | undefined;
  wireBytes: number;
}

export interface PostgresExchange {
  request: PostgresRequest;
  response: PostgresResponse;
  /** The connection's StartupMessage user and database, when it was seen. */
  session: { user: string | undefined; database: string | undefined };
  startNs: bigint;
  endNs: bigint;
  truncated: boolean;
}

interface PendingRound {
  request: PostgresRequest;
  /** The request side is complete (Sync, Query, …); later messages start a new round. */
  closed: boolean;
  /** The first Parse's SQL: what a round that only prepares (Parse/Describe/Sync) is about. */
  parsedSql: string | undefined;
  startNs: bigint;
  truncated: boolean;
}

/** Rounds a client may send before their answers; pg pipelines only within a connection's queue. */
const MAX_PENDING_ROUNDS = 64;
/** Prepared statements and portals remembered per connection. */
const MAX_NAMES = 256;

function emptyResponse(): PostgresResponse {
  return {
    columns: undefined,
    dataRows: 0,
    commandTag: undefined,
    rows: undefined,
    error: undefined,
    authentication: undefined,
    encryptionAccepted: undefined,
    wireBytes: 0,
  };
}

/** Remembers at most MAX_NAMES entries, forgetting the oldest first. */
function remember(map: Map<string, string>, key: string, value: string): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_NAMES) map.delete(map.keys().next().value as string);
}

/**
 * PostgreSQL protocol 3.0 on one connection (§55.2 Message Flow). The backend
 * answers rounds in order and ends each with ReadyForQuery, so rounds are paired
 * first in, first out. Prepared statements and portals are tracked by name so an
 * Execute of a statement parsed earlier on the connection names its SQL.
 */
export class PostgresParser
  implements ConnectionProtocolParser<PostgresFrame, PostgresFrame, PostgresExchange>
{
  readonly protocol = "postgres";
  readonly requests = new PostgresFrameDecoder("frontend");
  readonly responses = new PostgresFrameDecoder(
    "backend",
    () => this.pending[0]?.request.kind === "encryption",
  );
  private readonly pending: PendingRound[] = [];
  /** Statement name → SQL text, and portal name → statement name (§55.2.3 Extended Query). */
  private readonly statements = new Map<string, string>();
  private readonly portals = new Map<string, string>();
  private session: PostgresExchange["session"] = { user: undefined, database: undefined };
  private response = emptyResponse();
  private responseTruncated = false;
  droppedRequests = 0;

  get unansweredRequests(): number {
    return this.pending.length;
  }

  onRequest(frame: PostgresFrame, timing: MessageTiming): void {
    if (frame.kind === "answer") return;
    if (frame.kind === "startup") {
      if (frame.code === StartupCode.SslRequest || frame.code === StartupCode.GssEncRequest) {
        this.open("encryption", timing, frame).closed = true;
      } else if (frame.code >>> 16 === StartupCode.ProtocolMajor3) {
        const parameters = startupParameters(frame.body);
        const round = this.open("startup", timing, frame);
        round.request.user = parameters.get("user");
        // The server defaults the database to the user name (§55.7 StartupMessage).
        round.request.database = parameters.get("database") ?? parameters.get("user");
        this.session = { user: round.request.user, database: round.request.database };
      }
      // CancelRequest arrives on a connection of its own and is never answered.
      return;
    }
    switch (frame.type) {
      case FrontendMessage.Query: {
        const round = this.open("simple", timing, frame);
        round.request.sql = queryText(frame.body);
        round.closed = true;
        return;
      }
      case FrontendMessage.FunctionCall:
        this.open("function", timing, frame).closed = true;
        return;
      case FrontendMessage.Parse: {
        const { statement, sql } = parseMessage(frame.body);
        remember(this.statements, statement, sql);
        const round = this.extended(timing, frame);
        round.parsedSql ??= sql;
        return;
      }
      case FrontendMessage.Bind: {
        const { portal, statement } = bindMessage(frame.body);
        remember(this.portals, portal, statement);
        this.extended(timing, frame);
        return;
      }
      case FrontendMessage.Execute: {
        const round = this.extended(timing, frame);
        if (round.request.sql === undefined) {
          const statement = this.portals.get(executePortal(frame.body));
          if (statement !== undefined) {
            round.request.sql = this.statements.get(statement);
            round.request.statementName = statement === "" ? undefined : statement;
          }
        }
        return;
      }
      case FrontendMessage.Close: {
        const { kind, name } = targetedMessage(frame.body);
        (kind === "statement" ? this.statements : this.portals).delete(name);
        this.extended(timing, frame);
        return;
      }
      case FrontendMessage.Describe:
      case FrontendMessage.Flush:
        this.extended(timing, frame);
        return;
      case FrontendMessage.Sync:
        this.extended(timing, frame).closed = true;
        return;
      default: {
        // Password messages join the startup; CopyData/CopyDone/CopyFail the round
        // whose COPY they feed. Their bodies are never read.
        const last = this.pending[this.pending.length - 1];
        if (last !== undefined && frame.type !== FrontendMessage.Terminate) {
          last.request.wireBytes += frame.wireBytes;
          last.truncated ||= timing.truncated || frame.resynced;
        }
      }
    }
  }

  onResponse(frame: PostgresFrame, timing: MessageTiming): PostgresExchange | undefined {
    const round = this.pending[0];
    this.response.wireBytes += frame.wireBytes;
    this.responseTruncated ||= timing.truncated || frame.resynced;
    if (frame.kind === "answer") {
      if (round?.request.kind !== "encryption") return this.discardResponse();
      const accepted = frame.answer !== EncryptionAnswer.Refused;
      this.response.encryptionAccepted = accepted;
      this.requests.encryptionAnswered(accepted);
      if (accepted) this.responses.encryptionAnswered(true);
      return this.complete(timing);
    }
    if (frame.kind !== "typed") return undefined;
    switch (frame.type) {
      case BackendMessage.RowDescription:
        this.response.columns = fieldCount(frame.body);
        break;
      case BackendMessage.DataRow:
        this.response.dataRows++;
        break;
      case BackendMessage.CommandComplete: {
        const { tag, rows } = commandTag(frame.body);
        this.response.commandTag = tag;
        this.response.rows = rows;
        break;
      }
      case BackendMessage.Authentication: {
        const code = authenticationCode(frame.body);
        // The first request names the method; AuthenticationOk and SASL steps follow it.
        if (code !== undefined && code !== 0 && this.response.authentication === undefined)
          this.response.authentication = AuthenticationCode[code] ?? String(code);
        break;
      }
      case BackendMessage.ErrorResponse:
        this.response.error ??= errorFields(frame.body);
        // A startup error is FATAL and the server closes without ReadyForQuery (§55.2.1).
        if (round?.request.kind === "startup") return this.complete(timing);
        break;
      case BackendMessage.ReadyForQuery:
        if (round === undefined) return this.discardResponse();
        return this.complete(timing);
    }
    return undefined;
  }

  /** A new round for a message that starts one; the oldest is dropped when too many wait. */
  private open(kind: PostgresRequestKind, timing: MessageTiming, frame: PostgresFrame): PendingRound {
    if (this.pending.length >= MAX_PENDING_ROUNDS) {
      this.pending.shift();
      this.droppedRequests++;
    }
    const round: PendingRound = {
      request: {
        kind,
        sql: undefined,
        statementName: undefined,
        user: undefined,
        database: undefined,
        wireBytes: frame.wireBytes,
      },
      closed: false,
      parsedSql: undefined,
      startNs: timing.firstByteNs,
      truncated: timing.truncated || frame.resynced,
    };
    this.pending.push(round);
    return round;
  }

  /** The extended-protocol round still collecting messages, or a new one. */
  private extended(timing: MessageTiming, frame: PostgresFrame): PendingRound {
    const last = this.pending[this.pending.length - 1];
    if (last !== undefined && last.request.kind === "extended" && !last.closed) {
      last.request.wireBytes += frame.wireBytes;
      last.truncated ||= timing.truncated || frame.resynced;
      return last;
    }
    return this.open("extended", timing, frame);
  }

  private complete(timing: MessageTiming): PostgresExchange | undefined {
    const round = this.pending.shift();
    const response = this.response;
    const truncated = this.responseTruncated;
    this.response = emptyResponse();
    this.responseTruncated = false;
    if (round === undefined) return undefined;
    round.request.sql ??= round.parsedSql;
    return {
      request: round.request,
      response,
      session: this.session,
      startNs: round.startNs,
      endNs: timing.lastByteNs,
      truncated: round.truncated || truncated,
    };
  }

  /** An answer to nothing we saw asked (the capture began mid-round): start afresh. */
  private discardResponse(): undefined {
    this.response = emptyResponse();
    this.responseTruncated = false;
    return undefined;
  }
}
