// Traffic into the demo workload from a test: checkouts at the frontend, each
// starting a trace whose id the test knows, so a spec can find the requests
// and the trace it caused (GET /api/v1/trace/{id}).
import { randomBytes } from "node:crypto";

export interface TrafficDriver {
  /** Checkouts that answered 200 so far. */
  readonly succeeded: number;
  /** The last failure, if any (the demo may still be warming up; ~1 checkout in 12 fails on purpose). */
  readonly lastError: string | undefined;
  /** Trace ids of the checkouts that answered 200, oldest first (the last 100). */
  readonly tracedCheckouts: readonly string[];
  stop(): Promise<void>;
}

export interface CheckoutResult {
  status: number;
  /** The W3C trace id the checkout carried in its traceparent. */
  traceId: string;
}

/**
 * One GET /checkout with a new traceparent. The chain it starts (demo/README.md):
 * shop/frontend → shop/cart, orders/orders (gRPC) → orders/stock, orders/courier,
 * PostgreSQL, billing/charge (gRPC) → billing/fraud, billing/ledger → PostgreSQL.
 */
export async function tracedCheckout(demoUrl: string, user?: number): Promise<CheckoutResult> {
  const traceId = randomBytes(16).toString("hex");
  const spanId = randomBytes(8).toString("hex");
  const url = new URL("/checkout", demoUrl);
  if (user !== undefined) url.searchParams.set("user", String(user));
  const response = await fetch(url, {
    headers: { traceparent: `00-${traceId}-${spanId}-01` },
    signal: AbortSignal.timeout(5000),
  });
  await response.arrayBuffer();
  return { status: response.status, traceId };
}

/**
 * Sends traced checkouts to the demo frontend in a loop, one at a time with a
 * pause, until stopped. The map covers 15 minutes, but the agent must see
 * traffic after it attached, so the load keeps flowing while the test waits for the UI.
 */
export function driveCheckouts(demoUrl: string, pauseMs = 200): TrafficDriver {
  let running = true;
  const state = { succeeded: 0, lastError: undefined as string | undefined, traces: [] as string[] };
  const loop = (async () => {
    while (running) {
      try {
        const { status, traceId } = await tracedCheckout(demoUrl);
        if (status === 200) {
          state.succeeded++;
          state.traces.push(traceId);
          if (state.traces.length > 100) state.traces.shift();
        } else state.lastError = `HTTP ${status}`;
      } catch (error) {
        state.lastError = error instanceof Error ? error.message : String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  })();
  return {
    get succeeded() {
      return state.succeeded;
    },
    get lastError() {
      return state.lastError;
    },
    get tracedCheckouts() {
      return state.traces;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}
