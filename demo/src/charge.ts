// billing/charge (gRPC): Charge scores the payment for fraud (billing/fraud,
// CPU-heavy) and books it in the ledger (billing/ledger, PostgreSQL).
import { randomUUID } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { BILLING_SERVICE, GrpcError, serveGrpc } from "./platform/grpc.js";
import { callJson } from "./platform/http-json.js";
import { startService } from "./platform/service-runtime.js";

// A score above this declines the payment; scores are 0–99, so about 1 in 100 is declined.
const DECLINE_ABOVE = 98;

const runtime = startService("charge");
const fraudUrl = `http://${runtime.peer("fraud")}`;
const ledgerUrl = `http://${runtime.peer("ledger")}`;

serveGrpc(runtime, BILLING_SERVICE, {
  async Charge(request) {
    const orderId = Number(request.orderId);
    const amountCents = Number(request.amountCents);
    const { risk } = (await callJson("POST", `${fraudUrl}/score`, {
      userId: Number(request.userId),
      amountCents,
    })) as { risk: number };
    if (risk > DECLINE_ABOVE)
      throw new GrpcError(status.FAILED_PRECONDITION, `payment declined (risk ${risk})`);
    const chargeId = randomUUID();
    await callJson("POST", `${ledgerUrl}/entries`, { orderId, chargeId, amountCents });
    return { chargeId, riskScore: risk };
  },
});
