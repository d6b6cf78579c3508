// orders/orders (gRPC): PlaceOrder reserves stock and asks the courier for a
// quote (both HTTP, side by side), records the order in PostgreSQL, charges it
// through billing/charge (gRPC) and marks it paid. The traced chain's middle.

import { status } from "@grpc/grpc-js";
import { BILLING_SERVICE, GrpcError, grpcClient, ORDERS_SERVICE, serveGrpc } from "./platform/grpc.js";
import { startHousekeeping } from "./platform/housekeeping.js";
import { callJson, HttpError } from "./platform/http-json.js";
import { connectDatabase, ensureSchema } from "./platform/postgres.js";
import { startService } from "./platform/service-runtime.js";
import { currentTraceContext } from "./platform/trace-context.js";
import { priceCentsOf } from "./topology.js";

const runtime = startService("orders");
const stockUrl = `http://${runtime.peer("stock")}`;
const courierUrl = `http://${runtime.peer("courier")}`;
const billing = grpcClient(runtime, BILLING_SERVICE, runtime.peer("charge"));
const db = connectDatabase(runtime);

await ensureSchema(db, [
  [
    `CREATE TABLE IF NOT EXISTS demo_orders (
       id bigserial PRIMARY KEY, user_id integer NOT NULL, total_cents integer NOT NULL,
       status text NOT NULL, trace_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
  ],
]);
startHousekeeping(runtime, db, "demo_orders");

interface Item {
  productId: number;
  quantity: number;
}

serveGrpc(runtime, ORDERS_SERVICE, {
  async PlaceOrder(request) {
    const userId = Number(request.userId);
    const items = (request.items as Item[]).filter((item) => item.quantity > 0);
    if (items.length === 0) throw new GrpcError(status.INVALID_ARGUMENT, "an order needs at least one item");
    const [quote] = await Promise.all([
      callJson("GET", `${courierUrl}/quote?items=${items.length}`) as Promise<{ cents: number }>,
      callJson("POST", `${stockUrl}/reserve`, { items }),
    ]).catch((error: unknown) => {
      // A failed reservation or quote: the order cannot be placed now; the caller may retry.
      throw new GrpcError(status.UNAVAILABLE, error instanceof HttpError ? error.message : String(error));
    });
    const totalCents = items.reduce((sum, item) => sum + item.quantity * priceCentsOf(item.productId), 0);
    const [order] = await db.query<{ id: string }>(
      "INSERT INTO demo_orders (user_id, total_cents, status, trace_id) VALUES ($1, $2, 'pending', $3) RETURNING id",
      [userId, totalCents + quote.cents, currentTraceContext()?.traceId ?? ""],
    );
    const orderId = Number(order?.id);
    const charge = await billing.call("Charge", { orderId, userId, amountCents: totalCents + quote.cents });
    await db.query("UPDATE demo_orders SET status = 'paid' WHERE id = $1", [orderId]);
    return { orderId, totalCents, shippingCents: quote.cents, chargeId: charge.chargeId };
  },
});
