// shop/cart: each shopper's cart as a Redis hash (product id → quantity),
// filled with a few products the first time a shopper shows up.
import { serveJson } from "./platform/http-json.js";
import { connectRedis } from "./platform/redis.js";
import { startService } from "./platform/service-runtime.js";
import { PRODUCT_COUNT } from "./topology.js";

const CART_SECONDS = 120;

const runtime = startService("cart");
const redis = connectRedis(runtime);

serveJson(runtime, async ({ method, url }) => {
  const match = /^\/cart\/(\d+)$/.exec(url.pathname);
  if (method !== "GET" || !match) return undefined;
  const user = Number(match[1]);
  const key = `demo:cart:${user}`;
  let cart = await redis.hgetall(key);
  if (Object.keys(cart).length === 0) {
    cart = {};
    for (let i = 0; i < 1 + (user % 3); i++)
      cart[String(1 + ((user * 7 + i * 13) % PRODUCT_COUNT))] = String(1 + i);
    await redis.hset(key, cart);
    await redis.expire(key, CART_SECONDS);
  }
  const items = Object.entries(cart).map(([productId, quantity]) => ({
    productId: Number(productId),
    quantity: Number(quantity),
  }));
  return { status: 200, body: { user, items } };
});
