// shop/frontend: the edge. GET /checkout is the traced chain's first hop (cart
// over HTTP, then orders/orders over gRPC); GET /products/:id reads the catalog.

import { GrpcError, grpcClient, ORDERS_SERVICE } from "./platform/grpc.js";
import { callJson, HttpError, serveJson } from "./platform/http-json.js";
import { startService } from "./platform/service-runtime.js";

const runtime = startService("frontend");
const cartUrl = `http://${runtime.peer("cart")}`;
const catalogUrl = `http://${runtime.peer("catalog")}`;
const orders = grpcClient(runtime, ORDERS_SERVICE, runtime.peer("orders"));

interface CartItem {
  productId: number;
  quantity: number;
}

serveJson(runtime, async ({ method, url }) => {
  if (method !== "GET") return undefined;
  if (url.pathname === "/health") return { status: 200, body: { status: "ok" } };
  const product = /^\/products\/(\d+)$/.exec(url.pathname);
  if (product) {
    const body = await callJson("GET", `${catalogUrl}/products/${product[1]}`);
    return { status: 200, body };
  }
  if (url.pathname !== "/checkout") return undefined;
  const user = Number(url.searchParams.get("user") ?? String(1 + Math.floor(Math.random() * 1000)));
  if (!Number.isInteger(user) || user < 1) throw new HttpError(400, "user must be a positive integer");
  const cart = (await callJson("GET", `${cartUrl}/cart/${user}`)) as { items: CartItem[] };
  try {
    const order = await orders.call("PlaceOrder", {
      userId: user,
      items: cart.items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
    });
    return { status: 200, body: { user, order } };
  } catch (error) {
    // The order pipeline failed (a stock reservation, most often): the shopper sees a 502.
    if (error instanceof GrpcError) throw new HttpError(502, `PlaceOrder failed: ${error.message}`);
    throw error;
  }
});
