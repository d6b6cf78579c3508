import { durationBetween, type ObservedEnds } from "../../records/observed-ends.js";
import type { RequestRecord } from "../../records/request-record.js";
import { sqlstateStatus } from "./postgres-messages.js";
import type { PostgresExchange } from "./postgres-parser.js";
import { type SqlTextOptions, sqlVerb, statementTarget } from "./sql-text.js";
import { splitSqlCommenter } from "./sqlcommenter.js";

/** Attribute values are bounded; an error message can be long. */
const MAX_ATTRIBUTE_LENGTH = 256;

/** What each kind of round is called when it carries no SQL. */
const OPERATION_WITHOUT_SQL = {
  startup: "STARTUP",
  encryption: "SSL",
  simple: "QUERY",
  extended: "SYNC",
  function: "FUNCTION CALL",
} as const;

/**
 * A PostgreSQL round as a record. operation: the SQL verb; target: the statement
 * (bounded, optionally masked) or, for the startup, the database; status: 0, or
 * the SQLSTATE class as a number (sqlstateStatus) with error=true.
 * Attribute names follow OpenTelemetry's database conventions where they exist.
 */
export function postgresExchangeToRecord(
  exchange: PostgresExchange,
  ends: ObservedEnds,
  options: SqlTextOptions = {},
): RequestRecord {
  const { request, response, session } = exchange;
  const attributes: Record<string, string> = { "db.system": "postgresql" };
  if (session.user !== undefined) attributes["db.user"] = session.user;
  if (session.database !== undefined) attributes["db.name"] = session.database;
  if (request.statementName !== undefined)
    attributes["db.statement.name"] = request.statementName.slice(0, MAX_ATTRIBUTE_LENGTH);
  if (request.kind === "simple" || request.kind === "extended")
    attributes["db.pg.query_protocol"] = request.kind;
  if (response.commandTag !== undefined)
    attributes["db.pg.command_tag"] = response.commandTag.slice(0, MAX_ATTRIBUTE_LENGTH);
  if (response.rows !== undefined) attributes["db.rows"] = String(response.rows);
  if (response.authentication !== undefined) attributes["db.pg.authentication"] = response.authentication;
  if (response.encryptionAccepted !== undefined)
    attributes["db.pg.encryption"] = response.encryptionAccepted ? "accepted" : "refused";
  const error = response.error;
  if (error !== undefined) {
    attributes["db.sqlstate"] = error.sqlstate.slice(0, 5);
    attributes["db.error"] = error.message.slice(0, MAX_ATTRIBUTE_LENGTH);
    attributes["db.pg.severity"] = error.severity.slice(0, 16);
  }
  // The trace context an application put in a sqlcommenter comment joins this call to its trace.
  const commented = request.sql === undefined ? undefined : splitSqlCommenter(request.sql);
  const sql = commented?.sql;
  const verb = sql === undefined ? "" : sqlVerb(sql);
  let target = "";
  if (request.kind === "startup") target = request.database ?? "";
  else if (sql !== undefined) target = statementTarget(sql, options);
  return {
    protocol: "postgres",
    side: ends.side,
    startMonotonicNs: exchange.startNs,
    durationNs: durationBetween(exchange.startNs, exchange.endNs),
    client: ends.client,
    server: ends.server,
    operation: verb === "" ? OPERATION_WITHOUT_SQL[request.kind] : verb,
    target,
    status: error === undefined ? 0 : sqlstateStatus(error.sqlstate),
    error: error !== undefined,
    requestBytes: request.wireBytes,
    responseBytes: response.wireBytes,
    attributes,
    traceId: commented?.trace?.traceId ?? "",
    spanId: commented?.trace?.parentSpanId ?? "",
    parentSpanId: "",
    truncated: exchange.truncated,
  };
}
