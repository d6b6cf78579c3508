// demo-frontend: GET /checkout fans out to demo-users and demo-orders.
import { getJson, portFromEnv, serveJson } from "./json-http.js";

const port = portFromEnv("DEMO_FRONTEND_PORT", 3100);
const usersUrl = `http://127.0.0.1:${portFromEnv("DEMO_USERS_PORT", 3101)}`;
const ordersUrl = `http://127.0.0.1:${portFromEnv("DEMO_ORDERS_PORT", 3102)}`;

serveJson("demo-frontend", port, async (url) => {
  if (url.pathname === "/health") return { status: 200, body: { status: "ok" } };
  if (url.pathname !== "/checkout") return { status: 404, body: { error: "no such route" } };
  const user = Number(url.searchParams.get("user") ?? String(1 + Math.floor(Math.random() * 1100)));
  const [profile, orders] = await Promise.all([
    getJson(`${usersUrl}/users/${user}`),
    getJson(`${ordersUrl}/orders?user=${user}`),
  ]);
  const status = orders.status >= 500 ? 502 : profile.status;
  return { status, body: { user: profile.body, orders: orders.body } };
});
