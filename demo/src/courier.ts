// orders/courier: GET /quote asks a (simulated) carrier for a shipping price,
// and carriers are slow: 250–450 ms, now and then over a second. The demo's
// slow endpoint, on the checkout's critical path.
import { setTimeout as sleep } from "node:timers/promises";
import { HttpError, serveJson } from "./platform/http-json.js";
import { startService } from "./platform/service-runtime.js";

const runtime = startService("courier");

serveJson(runtime, async ({ method, url }) => {
  if (method !== "GET" || url.pathname !== "/quote") return undefined;
  const items = Number(url.searchParams.get("items") ?? "1");
  if (!Number.isInteger(items) || items < 1) throw new HttpError(400, "items must be a positive integer");
  const waitMs = Math.random() < 0.03 ? 1_000 + Math.random() * 500 : 250 + Math.random() * 200;
  await sleep(waitMs);
  return { status: 200, body: { cents: 499 + 150 * (items - 1), carrier: "slowpost" } };
});
