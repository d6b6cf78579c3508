// PostgreSQL as the demo's services use it: the local server that
// scripts/setup/services.sh starts (user, password and database "periscope"),
// a small pool per process, and the trace context in a SQL comment.
//
// PostgreSQL's wire protocol has no headers, so the context rides in the
// statement the way sqlcommenter (https://google.github.io/sqlcommenter/spec/)
// puts it: a trailing comment `/*traceparent='00-…'*/`. Periscope's agent reads
// it and shows the statement without it (packages/agent/src/protocols/postgres/
// sqlcommenter.ts), so the comment joins the call to its trace without making
// each statement an endpoint of its own; the pg_tracing extension reads the
// same comment server-side. DEMO_SQLCOMMENTER=0 leaves it out.
import pg from "pg";
import type { ServiceRuntime } from "./service-runtime.js";
import { formatTraceparent, outgoingContext, type TraceContext } from "./trace-context.js";

export interface Database {
  /** Runs `sql` (parameters bound, never spliced) with the trace context as a sqlcommenter comment. */
  query<Row extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs `sql` with no trace comment: schema set-up and housekeeping that no request caused. */
  untraced(sql: string, params?: unknown[]): Promise<void>;
}

/** `sql` with `context` appended as a sqlcommenter comment (its values need no URL-encoding: hex and dashes). */
export function withSqlcommenter(sql: string, context: TraceContext): string {
  return `${sql} /*traceparent='${formatTraceparent(context)}'*/`;
}

export function connectDatabase(runtime: ServiceRuntime): Database {
  const comment = process.env.DEMO_SQLCOMMENTER !== "0";
  const pool = new pg.Pool({
    host: process.env.DEMO_PG_HOST ?? "127.0.0.1",
    port: Number(process.env.DEMO_PG_PORT ?? 5432),
    user: process.env.DEMO_PG_USER ?? "periscope",
    password: process.env.DEMO_PG_PASSWORD ?? "periscope",
    database: process.env.DEMO_PG_DATABASE ?? "periscope",
    max: 4,
    idleTimeoutMillis: 0,
    application_name: runtime.title,
  });
  // A dropped connection is replaced on the next query; it must not end the process.
  pool.on("error", (error) => console.error(`${runtime.title}: postgres: ${error.message}`));
  runtime.onStop(() => pool.end());
  return {
    async query<Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
      const text = comment ? withSqlcommenter(sql, outgoingContext()) : sql;
      const result = await pool.query<Row>(text, params);
      return result.rows;
    },
    async untraced(sql: string, params: unknown[] = []) {
      await pool.query(sql, params);
    },
  };
}

/**
 * Creates the demo's tables once. Several stacks may start at the same moment
 * on one machine, and concurrent CREATE TABLE IF NOT EXISTS can still collide
 * on the catalog's unique index (23505), so a collision is retried.
 */
export async function ensureSchema(
  db: Database,
  statements: ReadonlyArray<readonly [sql: string, params?: unknown[]]>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      for (const [sql, params] of statements) await db.untraced(sql, params);
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
