// sqlcommenter (google.github.io/sqlcommenter): an application appends its
// trace context to a statement as a trailing comment of key='value' pairs,
//   SELECT … FROM orders WHERE id = $1 /*traceparent='00-<trace>-<span>-01'*/
// values URL-encoded. The comment's traceparent joins the database call to its
// trace; the statement a record shows is the SQL without that comment, so one
// statement is one target whatever trace ran it. Shared by PostgreSQL and MySQL.
import { parseTraceParent, type TraceParent } from "../http1/trace-context.js";

export interface CommentedStatement {
  /** The SQL without its trailing sqlcommenter comment. */
  sql: string;
  trace: TraceParent | undefined;
}

const TRAILING_COMMENT = /\/\*([^*]*(?:\*(?!\/)[^*]*)*)\*\/\s*;?\s*$/;
const PAIR = /^\s*([A-Za-z0-9_.%-]+)='((?:[^'\\]|\\.)*)'\s*$/;

function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\\'/g, "'"));
  } catch {
    return undefined;
  }
}

/** The statement and the trace its sqlcommenter comment names; the SQL as given when it has none. */
export function splitSqlCommenter(sql: string): CommentedStatement {
  const match = TRAILING_COMMENT.exec(sql);
  if (match === null || match.index === undefined) return { sql, trace: undefined };
  const fields = new Map<string, string>();
  // Every part must be a key='value' pair: any other trailing comment is the statement's own.
  for (const part of (match[1] ?? "").split(",")) {
    const pair = PAIR.exec(part);
    if (pair === null) return { sql, trace: undefined };
    const key = decode(pair[1] ?? "");
    const value = decode(pair[2] ?? "");
    if (key !== undefined && value !== undefined) fields.set(key, value);
  }
  if (fields.size === 0) return { sql, trace: undefined };
  return { sql: sql.slice(0, match.index).trimEnd(), trace: parseTraceParent(fields.get("traceparent")) };
}
