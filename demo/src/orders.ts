// demo-orders: calls demo-users for credit, and fails one order in ten so the
// map has an error rate to colour.
import { getJson, portFromEnv, serveJson } from "./json-http.js";

const port = portFromEnv("DEMO_ORDERS_PORT", 3102);
const usersUrl = `http://127.0.0.1:${portFromEnv("DEMO_USERS_PORT", 3101)}`;
let orderCount = 0;

serveJson("demo-orders", port, async (url) => {
  if (url.pathname !== "/orders") return { status: 404, body: { error: "no such route" } };
  const user = Number(url.searchParams.get("user") ?? "1");
  const credit = await getJson(`${usersUrl}/users/${user}/credit`);
  orderCount += 1;
  if (orderCount % 10 === 0) return { status: 503, body: { error: "order store unavailable" } };
  return { status: 200, body: { user, orders: [{ id: orderCount, total: 42 }], credit: credit.body } };
});
