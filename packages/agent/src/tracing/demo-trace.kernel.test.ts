// One request through the demo's chain is one trace, end to end: the real agent
// (src/main.ts, its eBPF programs) watches the demo's nine servers run from
// source against the local PostgreSQL and Redis; a real collector stores what
// it exports; GET /api/v1/trace/{id} must return the checkout's spans across
// shop, orders and billing (HTTP, gRPC and PostgreSQL) with each span under
// the call that caused it and the critical path through the slow courier.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRoot, requireRootInCi } from "../capture/fixtures/kernel-processes.js";
import { type AgentProcess, agentAttached, startAgentProcess } from "../testing/agent-process.js";
import { type CollectorProcess, startCollectorProcess, until } from "../testing/collector-process.js";
import { freePort } from "../testing/free-port.js";

requireRootInCi("demo-trace.kernel.test.ts");

const demoRoot = resolve(fileURLToPath(new URL("../../../../demo", import.meta.url)));

interface DemoService {
  namespace: string;
  name: string;
  script: string;
  portOffset?: number;
}

interface TraceSpan {
  spanId: string;
  parentSpanId: string;
  parentInferred: boolean;
  orphan: boolean;
  service: string;
  operation: string;
  status: string;
  durationMs: number;
  critical: boolean;
  depth: number;
  request: { protocol: string; client: { service: string } };
}

interface TraceBody {
  traceId: string;
  spans: TraceSpan[];
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(2_000);
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      done(false);
    });
    socket.once("error", () => done(false));
  });
}

/** A block of ports the demo can take (base … base + count - 1), all free now. */
async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const taken = await Promise.all(Array.from({ length: count }, (_, i) => portOpen(base + i)));
    if (!taken.some(Boolean)) return base;
  }
  throw new Error(`no block of ${count} free ports found`);
}

describe.skipIf(!isRoot)(
  "a checkout through the demo is one trace in the API (root only; skipped otherwise outside CI)",
  () => {
    let dir = "";
    let collector: CollectorProcess | undefined;
    let agent: AgentProcess | undefined;
    const demo: Array<{ title: string; child: ChildProcess; output: string }> = [];
    let basePort = 0;

    beforeAll(async () => {
      for (const [name, port] of [
        ["PostgreSQL", 5432],
        ["Redis", 6379],
      ] as const) {
        if (!(await portOpen(port)))
          throw new Error(`${name} is not listening on ${port}: run scripts/setup/services.sh`);
      }
      // The demo's own table of services (demo/src/topology.ts), so this test starts what the stack starts.
      const topology = (await import(pathToFileURL(join(demoRoot, "src/topology.ts")).href)) as {
        DEMO_SERVICES: readonly DemoService[];
        DEMO_PORT_COUNT: number;
      };
      dir = mkdtempSync(join(tmpdir(), "periscope-demo-trace-"));
      collector = await startCollectorProcess({ PERISCOPE_DATA_DIR: join(dir, "data") });
      agent = startAgentProcess({
        PERISCOPE_COLLECTOR_ADDR: collector.grpcAddress,
        PERISCOPE_AGENT_ID: "demo-trace",
        PERISCOPE_AGENT_API_ADDR: `127.0.0.1:${await freePort()}`,
        // Traces only: the profiler's symbol reads would only slow a busy machine.
        PERISCOPE_PROFILE_HZ: "0",
      });
      await agentAttached(agent);
      // Started after the agent attached, so every connection (the PostgreSQL pools too) is seen from its start.
      basePort = await freePortBlock(topology.DEMO_PORT_COUNT);
      for (const service of topology.DEMO_SERVICES.filter((s) => s.portOffset !== undefined)) {
        const child = spawn(
          process.execPath,
          ["--import", "tsx", `src/${service.script.replace(/\.js$/, ".ts")}`],
          {
            cwd: demoRoot,
            env: {
              ...process.env,
              DEMO_BASE_PORT: String(basePort),
              // Every reservation succeeds, so the checkout runs the whole chain.
              DEMO_STOCK_FAIL_EVERY: "0",
              DEMO_FRAUD_ROUNDS: "1000",
              OTEL_SERVICE_NAME: service.name,
              OTEL_RESOURCE_ATTRIBUTES: `service.namespace=${service.namespace}`,
            },
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
        const proc = { title: `${service.namespace}/${service.name}`, child, output: "" };
        for (const stream of [child.stdout, child.stderr])
          stream?.on("data", (chunk: Buffer) => {
            proc.output += chunk.toString("utf8");
          });
        demo.push(proc);
      }
      const deadline = Date.now() + 90_000;
      await until(() => {
        const dead = demo.find((proc) => proc.child.exitCode !== null);
        if (dead) throw new Error(`${dead.title} exited (${dead.child.exitCode}):\n${dead.output}`);
        if (Date.now() > deadline)
          throw new Error(`demo servers did not all listen: ${demo.map((p) => p.title).join(", ")}`);
        return demo.every((proc) => /listening on/.test(proc.output)) ? true : undefined;
      });
    }, 200_000);

    afterAll(async () => {
      await Promise.all(
        demo.map(
          (proc) =>
            new Promise<void>((done) => {
              if (proc.child.exitCode !== null || proc.child.signalCode !== null) return done();
              proc.child.once("exit", () => done());
              proc.child.kill("SIGTERM");
              setTimeout(() => proc.child.kill("SIGKILL"), 5_000).unref();
            }),
        ),
      );
      agent?.child.kill("SIGTERM");
      if (agent) await agent.exited;
      await collector?.stop();
      if (dir !== "") rmSync(dir, { recursive: true, force: true });
    }, 60_000);

    it("returns the checkout's spans across shop, orders and billing, each under its caller, with the critical path through the courier", async () => {
      const traceId = randomBytes(16).toString("hex");
      const rootSpan = randomBytes(8).toString("hex");
      const response = await fetch(`http://127.0.0.1:${basePort}/checkout?user=7`, {
        headers: { traceparent: `00-${traceId}-${rootSpan}-01` },
      });
      expect(response.status, await response.text()).toBe(200);

      // The agent exports in batches; wait until every hop of the chain is stored:
      // 8 demo calls + 3 PostgreSQL statements (orders INSERT and UPDATE, ledger INSERT).
      let last: TraceBody | undefined;
      const deadline = Date.now() + 90_000;
      const trace = await until(async () => {
        const reply = await fetch(`${collector?.httpUrl}/api/v1/trace/${traceId}`);
        if (reply.ok) last = (await reply.json()) as TraceBody;
        if (last !== undefined && last.spans.length >= 11) return last;
        return Date.now() > deadline ? null : undefined;
      });
      const summary = (last?.spans ?? []).map(
        (s) => `${s.depth} ${s.service} ${s.operation} parent=${s.parentSpanId} critical=${s.critical}`,
      );
      expect(
        trace,
        `spans so far:\n${summary.join("\n")}\nagent:\n${agent?.output().slice(-2000)}`,
      ).not.toBeNull();
      const spans = (trace as TraceBody).spans;
      const byId = new Map(spans.map((span) => [span.spanId, span]));
      const one = (service: string, operation: RegExp) => {
        const found = spans.filter((span) => span.service === service && operation.test(span.operation));
        expect(found, `one ${service} ${operation} span in:\n${summary.join("\n")}`).toHaveLength(1);
        return found[0] as TraceSpan;
      };
      const parentOf = (span: TraceSpan) => byId.get(span.parentSpanId);

      const frontend = one("shop/frontend", /^GET \/checkout$/);
      const cart = one("shop/cart", /^GET \/cart\//);
      const orders = one("orders/orders", /PlaceOrder/);
      const stock = one("orders/stock", /^POST \/reserve$/);
      const courier = one("orders/courier", /^GET \/quote$/);
      const charge = one("billing/charge", /Charge/);
      const fraud = one("billing/fraud", /^POST \/score$/);
      const ledger = one("billing/ledger", /^POST \/entries$/);
      const sql = spans.filter((span) => span.request.protocol === "postgres");
      expect(sql, summary.join("\n")).toHaveLength(3);
      expect(new Set(spans.map((span) => span.service.split("/")[0])).size).toBeGreaterThanOrEqual(3);

      // The root is the span the checkout's own traceparent named; nothing is an orphan.
      expect(frontend).toMatchObject({ spanId: rootSpan, depth: 0, parentSpanId: "", orphan: false });
      expect(spans.filter((span) => span.depth === 0)).toEqual([frontend]);
      expect(spans.some((span) => span.orphan)).toBe(false);
      // Each call hangs under the call its client was serving.
      expect(parentOf(cart)).toBe(frontend);
      expect(parentOf(orders)).toBe(frontend);
      for (const child of [stock, courier, charge]) expect(parentOf(child)).toBe(orders);
      for (const child of [fraud, ledger]) expect(parentOf(child)).toBe(charge);
      const sqlBy = (client: string) => sql.filter((span) => span.request.client.service === client);
      expect(sqlBy("orders/orders").map(parentOf)).toEqual([orders, orders]);
      expect(sqlBy("billing/ledger").map(parentOf)).toEqual([ledger]);
      expect([orders.depth, charge.depth, ledger.depth, sqlBy("billing/ledger")[0]?.depth]).toEqual([
        1, 2, 3, 4,
      ]);

      // The checkout's calls are sequential except orders' stock reservation, which runs beside
      // the slow courier quote (250–450 ms): everything is on the critical path but stock.
      expect(courier.durationMs).toBeGreaterThan(stock.durationMs);
      expect(
        spans.filter((span) => !span.critical).map((span) => `${span.service} ${span.operation}`),
      ).toEqual([`${stock.service} ${stock.operation}`]);
    }, 150_000);
  },
);
