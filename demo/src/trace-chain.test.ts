// The traced chain, end to end and without Periscope: the demo's nine servers
// run from source against the local PostgreSQL and Redis
// (scripts/setup/services.sh), one checkout goes in with a known traceparent,
// and every service on the chain must have served its call in that trace — the
// gRPC hops from metadata, the others from the HTTP header — while PostgreSQL
// holds the rows written in it.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PORT_COUNT, DEMO_SERVICES, titleOf } from "./topology.js";

const demoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const servers = DEMO_SERVICES.filter((service) => "portOffset" in service);

interface SeenCall {
  service: string;
  via: "http-header" | "grpc-metadata";
  operation: string;
  traceId: string;
  spanId: string;
}

const running: Array<{ title: string; child: ChildProcess; output: string }> = [];
let basePort = 0;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

async function freePortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(Array.from({ length: DEMO_PORT_COUNT }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no block of ${DEMO_PORT_COUNT} free ports found`);
}

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 45_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    const dead = running.find((proc) => proc.child.exitCode !== null);
    if (dead)
      throw new Error(`${dead.title} exited (${dead.child.exitCode}) before ${what}:\n${dead.output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function seenCalls(): SeenCall[] {
  return running.flatMap((proc) =>
    proc.output
      .split("\n")
      .filter((line) => line.startsWith("trace-seen "))
      .map((line) => JSON.parse(line.slice("trace-seen ".length)) as SeenCall),
  );
}

beforeAll(async () => {
  for (const [name, port] of [
    ["PostgreSQL", 5432],
    ["Redis", 6379],
  ] as const) {
    if (await portFree(port))
      throw new Error(`${name} is not listening on ${port}: run scripts/setup/services.sh`);
  }
  basePort = await freePortBlock();
  for (const service of servers) {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", `src/${service.script.replace(/\.js$/, ".ts")}`],
      {
        cwd: demoRoot,
        env: {
          ...process.env,
          DEMO_BASE_PORT: String(basePort),
          DEMO_TRACE_LOG: "1",
          // Every reservation succeeds, so the one checkout runs the whole chain.
          DEMO_STOCK_FAIL_EVERY: "0",
          DEMO_FRAUD_ROUNDS: "1000",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const proc = { title: titleOf(service), child, output: "" };
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on("data", (chunk: Buffer) => {
        proc.output += chunk.toString("utf8");
      });
    }
    running.push(proc);
  }
  await waitFor("every demo server to listen", () =>
    running.every((proc) => /listening on/.test(proc.output)),
  );
});

afterAll(async () => {
  await Promise.all(
    running.map(
      (proc) =>
        new Promise<void>((resolve) => {
          if (proc.child.exitCode !== null || proc.child.signalCode !== null) return resolve();
          proc.child.once("exit", () => resolve());
          proc.child.kill("SIGTERM");
          setTimeout(() => proc.child.kill("SIGKILL"), 5_000).unref();
        }),
    ),
  );
});

describe("the demo's traced chain", () => {
  it("carries one trace id from shop/frontend through gRPC and HTTP to PostgreSQL", async () => {
    const traceId = randomBytes(16).toString("hex");
    const callerSpan = randomBytes(8).toString("hex");
    const response = await fetch(`http://127.0.0.1:${basePort}/checkout?user=42`, {
      headers: { traceparent: `00-${traceId}-${callerSpan}-01` },
    });
    const body = await response.text();
    expect(response.status, body).toBe(200);
    const order = (JSON.parse(body) as { order: { orderId: number } }).order;

    const inTrace = seenCalls().filter((call) => call.traceId === traceId);
    const byService = new Map(inTrace.map((call) => [call.service, call]));
    expect([...byService.keys()].sort()).toEqual(
      [
        "billing/charge",
        "billing/fraud",
        "billing/ledger",
        "orders/courier",
        "orders/orders",
        "orders/stock",
        "shop/cart",
        "shop/frontend",
      ].sort(),
    );
    expect(byService.get("shop/frontend")?.spanId).toBe(callerSpan);
    expect(byService.get("orders/orders")).toMatchObject({
      via: "grpc-metadata",
      operation: "/demo.orders.Orders/PlaceOrder",
    });
    expect(byService.get("billing/charge")).toMatchObject({
      via: "grpc-metadata",
      operation: "/demo.billing.Billing/Charge",
    });
    expect(byService.get("billing/ledger")?.via).toBe("http-header");
    // Each call is a span of its own.
    expect(new Set(inTrace.map((call) => call.spanId)).size).toBe(inTrace.length);

    const client = new pg.Client({
      host: "127.0.0.1",
      user: "periscope",
      password: "periscope",
      database: "periscope",
    });
    await client.connect();
    try {
      const orders = await client.query("SELECT id, status FROM demo_orders WHERE trace_id = $1", [traceId]);
      expect(orders.rows).toEqual([{ id: String(order.orderId), status: "paid" }]);
      const ledger = await client.query("SELECT order_id FROM demo_ledger WHERE trace_id = $1", [traceId]);
      expect(ledger.rows).toEqual([{ order_id: String(order.orderId) }]);
    } finally {
      await client.end();
    }
  });

  it("starts a new trace at the frontend for a request that carries none, and still propagates it", async () => {
    const before = new Set(seenCalls().map((call) => call.traceId));
    const response = await fetch(`http://127.0.0.1:${basePort}/checkout?user=43`);
    expect(response.status).toBe(200);
    const fresh = seenCalls().filter((call) => call.traceId !== "" && !before.has(call.traceId));
    const traces = new Set(fresh.map((call) => call.traceId));
    expect(traces.size).toBe(1);
    expect(fresh.map((call) => call.service)).toContain("billing/ledger");
  });
});
