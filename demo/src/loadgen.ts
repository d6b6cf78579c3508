// shop/loadgen: shoppers at a steady, modest rate — a checkout every
// DEMO_INTERVAL_MS (default 1 s) and a product page twice as often — each
// request starting its own trace, as a browser's instrumentation would. The
// rate is low on purpose: the demo shares a 2-core machine with the stack and
// its tests (one checkout costs about 10 calls and 3 ms of fraud scoring).
import { requestJson } from "./platform/http-json.js";
import { startService } from "./platform/service-runtime.js";
import { PRODUCT_COUNT } from "./topology.js";

const runtime = startService("loadgen");
const frontendUrl = `http://${runtime.peer("frontend")}`;
const intervalMs = Number(process.env.DEMO_INTERVAL_MS ?? 1_000);
if (!Number.isFinite(intervalMs) || intervalMs < 10) {
  console.error(
    `DEMO_INTERVAL_MS must be a number of milliseconds ≥ 10, got ${process.env.DEMO_INTERVAL_MS}`,
  );
  process.exit(2);
}

function send(path: string): void {
  requestJson("GET", `${frontendUrl}${path}`).catch((error: unknown) =>
    console.error(`${runtime.title}: GET ${path} failed: ${String(error)}`),
  );
}

const checkouts = setInterval(
  () => send(`/checkout?user=${1 + Math.floor(Math.random() * 1000)}`),
  intervalMs,
);
const browsing = setInterval(
  () => send(`/products/${1 + Math.floor(Math.random() * PRODUCT_COUNT)}`),
  intervalMs / 2,
);
runtime.onStop(() => {
  clearInterval(checkouts);
  clearInterval(browsing);
});
