// orders/stock: POST /reserve takes items out of stock (Redis counters). One
// reservation in DEMO_STOCK_FAIL_EVERY (default 12) fails with 503, like a
// warehouse lock that times out: the demo's endpoint that fails now and then.
import { HttpError, serveJson } from "./platform/http-json.js";
import { connectRedis } from "./platform/redis.js";
import { startService } from "./platform/service-runtime.js";

const failEvery = Number(process.env.DEMO_STOCK_FAIL_EVERY ?? 12);
const RESTOCK_TO = 1_000;

const runtime = startService("stock");
const redis = connectRedis(runtime);
let reservations = 0;

serveJson(runtime, async ({ method, url, body }) => {
  if (method !== "POST" || url.pathname !== "/reserve") return undefined;
  const items = (body as { items?: Array<{ productId: number; quantity: number }> } | undefined)?.items;
  if (!Array.isArray(items)) throw new HttpError(400, "body must be {items: [{productId, quantity}]}");
  reservations += 1;
  if (failEvery > 0 && reservations % failEvery === 0) {
    throw new HttpError(503, "stock lock timed out, try again");
  }
  const left: Record<string, number> = {};
  for (const item of items) {
    const key = `demo:stock:${item.productId}`;
    let count = await redis.decrby(key, item.quantity);
    // The warehouse never runs dry in the demo: a counter below zero is restocked.
    if (count < 0) {
      await redis.set(key, RESTOCK_TO);
      count = RESTOCK_TO;
    }
    left[item.productId] = count;
  }
  return { status: 200, body: { reserved: items.length, left } };
});
