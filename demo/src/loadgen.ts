// demo-loadgen: a steady trickle of checkouts so the map is never empty.
import { getJson, portFromEnv } from "./json-http.js";

process.title = "demo-loadgen";
const frontendUrl = `http://127.0.0.1:${portFromEnv("DEMO_FRONTEND_PORT", 3100)}`;
const intervalMs = Number(process.env.DEMO_INTERVAL_MS ?? 250);

const timer = setInterval(() => {
  getJson(`${frontendUrl}/checkout`).catch((error: unknown) => console.error(`checkout failed: ${error}`));
}, intervalMs);

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => clearInterval(timer));
