// billing/fraud: POST /score runs the CPU-heavy fraud model
// (scoreFraudRiskHotLoop in fraud-score.ts), the demo's CPU-heavy endpoint.

import { DEFAULT_FRAUD_ROUNDS, scoreFraudRiskHotLoop } from "./fraud-score.js";
import { HttpError, serveJson } from "./platform/http-json.js";
import { startService } from "./platform/service-runtime.js";

const rounds = Number(process.env.DEMO_FRAUD_ROUNDS ?? DEFAULT_FRAUD_ROUNDS);
const runtime = startService("fraud");

serveJson(runtime, async ({ method, url, body }) => {
  if (method !== "POST" || url.pathname !== "/score") return undefined;
  const payment = body as { userId?: unknown; amountCents?: unknown } | undefined;
  if (typeof payment?.userId !== "number" || typeof payment.amountCents !== "number") {
    throw new HttpError(400, "body must be {userId, amountCents} (numbers)");
  }
  const risk = scoreFraudRiskHotLoop(payment.userId, payment.amountCents, rounds);
  return { status: 200, body: { risk } };
});
