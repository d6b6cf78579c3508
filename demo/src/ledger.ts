// billing/ledger: POST /entries books a charge in PostgreSQL; the traced
// chain's last hop.

import { startHousekeeping } from "./platform/housekeeping.js";
import { HttpError, serveJson } from "./platform/http-json.js";
import { connectDatabase, ensureSchema } from "./platform/postgres.js";
import { startService } from "./platform/service-runtime.js";
import { currentTraceContext } from "./platform/trace-context.js";

const runtime = startService("ledger");
const db = connectDatabase(runtime);

await ensureSchema(db, [
  [
    `CREATE TABLE IF NOT EXISTS demo_ledger (
       id bigserial PRIMARY KEY, order_id bigint NOT NULL, charge_id text NOT NULL, amount_cents integer NOT NULL,
       trace_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
  ],
]);
startHousekeeping(runtime, db, "demo_ledger");

serveJson(runtime, async ({ method, url, body }) => {
  if (method !== "POST" || url.pathname !== "/entries") return undefined;
  const entry = body as { orderId?: unknown; chargeId?: unknown; amountCents?: unknown } | undefined;
  if (
    typeof entry?.orderId !== "number" ||
    typeof entry.chargeId !== "string" ||
    typeof entry.amountCents !== "number"
  ) {
    throw new HttpError(400, "body must be {orderId, chargeId, amountCents}");
  }
  const [row] = await db.query<{ id: string }>(
    "INSERT INTO demo_ledger (order_id, charge_id, amount_cents, trace_id) VALUES ($1, $2, $3, $4) RETURNING id",
    [entry.orderId, entry.chargeId, entry.amountCents, currentTraceContext()?.traceId ?? ""],
  );
  return { status: 201, body: { entryId: Number(row?.id) } };
});
