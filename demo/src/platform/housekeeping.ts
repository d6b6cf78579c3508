// The demo runs for days on a developer's machine: rows older than an hour are
// deleted once a minute, so its tables stay small. The deletes are PostgreSQL
// traffic of their own on the map, outside any trace.
import type { Database } from "./postgres.js";
import type { ServiceRuntime } from "./service-runtime.js";

const KEEP = "1 hour";
const EVERY_MS = 60_000;

export function startHousekeeping(
  runtime: ServiceRuntime,
  db: Database,
  table: "demo_orders" | "demo_ledger",
): void {
  const timer = setInterval(() => {
    db.untraced(`DELETE FROM ${table} WHERE created_at < now() - interval '${KEEP}'`).catch(
      (error: unknown) => console.error(`${runtime.title}: housekeeping ${table}: ${String(error)}`),
    );
  }, EVERY_MS);
  timer.unref();
  runtime.onStop(() => clearInterval(timer));
}
