import { durationBetween, type ObservedEnds } from "../../records/observed-ends.js";
import type { RequestRecord } from "../../records/request-record.js";
import { type SqlTextOptions, sqlVerb, statementTarget } from "../postgres/sql-text.js";
import { splitSqlCommenter } from "../postgres/sqlcommenter.js";
import type { MysqlExchange } from "./mysql-parser.js";
import { COMMAND_NAMES, Command } from "./mysql-wire.js";

const MAX_ATTRIBUTE_LENGTH = 256;

/** Commands whose record is named by their SQL's verb; the others by their COM_ name. */
const VERB_COMMANDS: ReadonlySet<number> = new Set([Command.Query, Command.StmtExecute]);

/**
 * A MySQL exchange as a record. operation: the SQL verb for COM_QUERY and
 * COM_STMT_EXECUTE, else the command's name (COM_STMT_PREPARE, COM_PING…) or
 * CONNECT; target: the statement (bounded, optionally masked; "" when an
 * executed statement's prepare was not seen), or the schema for CONNECT and
 * COM_INIT_DB; status: 0, or the server's error code (1146…) with error=true.
 */
export function mysqlExchangeToRecord(
  exchange: MysqlExchange,
  ends: ObservedEnds,
  options: SqlTextOptions = {},
): RequestRecord {
  const { request, response, session } = exchange;
  const attributes: Record<string, string> = { "db.system": "mysql" };
  if (session.user !== undefined) attributes["db.user"] = session.user;
  if (session.database !== undefined) attributes["db.name"] = session.database;
  if (session.serverVersion !== undefined) attributes["db.server.version"] = session.serverVersion;
  const commandName =
    request.kind === "connect" ? "CONNECT" : (COMMAND_NAMES.get(request.command) ?? "COM_UNKNOWN");
  attributes["db.mysql.command"] = commandName;
  if (request.statementId !== undefined) attributes["db.mysql.statement_id"] = String(request.statementId);
  if (response.preparedStatementId !== undefined)
    attributes["db.mysql.statement_id"] = String(response.preparedStatementId);
  if (response.columns !== undefined) attributes["db.rows"] = String(response.rows);
  else if (response.affectedRows !== undefined) attributes["db.rows"] = String(response.affectedRows);
  const error = response.error;
  if (error !== undefined) {
    if (error.sqlstate !== "") attributes["db.sqlstate"] = error.sqlstate;
    attributes["db.error"] = error.message.slice(0, MAX_ATTRIBUTE_LENGTH);
  }
  // The trace context an application put in a sqlcommenter comment joins this call to its trace.
  const commented = splitSqlCommenter(request.sql ?? "");
  const sql = commented.sql;
  const verb = VERB_COMMANDS.has(request.command) ? sqlVerb(sql) : "";
  let target = "";
  if (request.kind === "connect") target = request.database ?? "";
  else if (request.command === Command.InitDb) target = sql.slice(0, MAX_ATTRIBUTE_LENGTH);
  else target = statementTarget(sql, { doubleQuotedStrings: true, ...options });
  return {
    protocol: "mysql",
    side: ends.side,
    startMonotonicNs: exchange.startNs,
    durationNs: durationBetween(exchange.startNs, exchange.endNs),
    client: ends.client,
    server: ends.server,
    operation: verb === "" ? commandName : verb,
    target,
    status: error?.code ?? 0,
    error: error !== undefined,
    requestBytes: request.wireBytes,
    responseBytes: response.wireBytes,
    attributes,
    traceId: commented.trace?.traceId ?? "",
    spanId: commented.trace?.parentSpanId ?? "",
    parentSpanId: "",
    truncated: exchange.truncated,
  };
}
