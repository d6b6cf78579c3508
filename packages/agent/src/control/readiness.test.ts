// GET /v1/ready through the real local API, with a real Exporter talking to
// a fake collector that is up, refusing, or not there at all.
import { AgentInfoSchema, create } from "@periscope/proto";
import { afterEach, describe, expect, it } from "vitest";
import { Exporter } from "../export/exporter.js";
import { until } from "../testing/collector-process.js";
import { startFakeCollector } from "../testing/fake-collector.js";
import { freePort } from "../testing/free-port.js";
import { createAgentApi, listenAgentApi } from "./agent-api.js";
import type { AgentStats } from "./agent-stats.js";
import { Readiness, type ReadinessReport } from "./readiness.js";
import { RuntimeControls } from "./runtime-controls.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The local API serving this readiness; resolves with a GET /v1/ready helper. */
async function serve(readiness: Readiness) {
  const server = createAgentApi({
    controls: new RuntimeControls({ setControls: () => {}, replaceFilter: () => {} }),
    stats: () => ({}) as AgentStats,
    ready: () => readiness.report(),
  });
  const address = await listenAgentApi(server, "127.0.0.1:0");
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return async () => {
    const res = await fetch(`http://127.0.0.1:${address.port}/v1/ready`);
    return { status: res.status, body: (await res.json()) as ReadinessReport };
  };
}

function exporterTo(address: string): Exporter {
  const exporter = new Exporter({
    address,
    agentId: "a",
    agentInfo: () => create(AgentInfoSchema, { hostname: "test-host" }),
    retryInitialMs: 20,
    retryMaxMs: 50,
    requestTimeoutMs: 2_000,
    log: () => {},
  });
  cleanups.push(() => exporter.close(0));
  return exporter;
}

describe("GET /v1/ready", () => {
  it("is 503 while loading, then 200 once attached and the collector took the first batch", async () => {
    const collector = await startFakeCollector();
    cleanups.push(collector.stop);
    const exporter = exporterTo(collector.address);
    const readiness = new Readiness(() => exporter.delivery());
    const ready = await serve(readiness);

    expect(await ready()).toEqual({
      status: 503,
      body: {
        ready: false,
        reason: "loading and attaching the BPF programs",
        capture: "loading",
        export: { state: "starting", batchesSent: 0 },
      },
    });
    readiness.attached();
    expect(await ready()).toMatchObject({
      status: 503,
      body: { reason: "waiting for the collector's first answer", capture: "attached" },
    });
    exporter.heartbeat();
    const answer = await until(async () => {
      const now = await ready();
      return now.status === 200 ? now : undefined;
    });
    expect(answer.body).toEqual({
      ready: true,
      capture: "attached",
      export: { state: "delivered", batchesSent: 1, collector: "reachable" },
    });
    expect(collector.received).toHaveLength(1);

    readiness.stopping();
    expect(await ready()).toMatchObject({ status: 503, body: { ready: false, reason: "stopping" } });
  });

  it("is 200 while retrying, saying the collector is unreachable when nothing listens", async () => {
    const exporter = exporterTo(`127.0.0.1:${await freePort()}`);
    const readiness = new Readiness(() => exporter.delivery());
    const ready = await serve(readiness);
    readiness.attached();
    exporter.heartbeat();
    const answer = await until(async () => {
      const now = await ready();
      return now.status === 200 ? now : undefined;
    });
    expect(answer.body).toMatchObject({
      ready: true,
      export: { state: "retrying", batchesSent: 0, collector: "unreachable", lastError: /^UNAVAILABLE: / },
    });
  });

  it("is 200 while retrying, saying the collector is reachable when it answers with an error", async () => {
    const collector = await startFakeCollector();
    cleanups.push(collector.stop);
    // What the collector answers while its storage is down (grpc-ingest-server.ts).
    collector.refuse(() => ({ code: 14, details: "storage is unavailable; retry the batch" }));
    const exporter = exporterTo(collector.address);
    const readiness = new Readiness(() => exporter.delivery());
    const ready = await serve(readiness);
    readiness.attached();
    exporter.heartbeat();
    const answer = await until(async () => {
      const now = await ready();
      return now.status === 200 ? now : undefined;
    });
    expect(answer.body.export).toEqual({
      state: "retrying",
      batchesSent: 0,
      collector: "reachable",
      lastError: "UNAVAILABLE: storage is unavailable; retry the batch",
    });
  });

  it("is 503 with the reason when capture failed", async () => {
    const readiness = new Readiness(() => ({ state: "delivered", batchesSent: 3, collectorReachable: true }));
    readiness.failed("attach tracepoint syscalls/sys_enter_read: Permission denied");
    const ready = await serve(readiness);
    expect(await ready()).toMatchObject({
      status: 503,
      body: {
        ready: false,
        capture: "failed",
        reason: "capture failed: attach tracepoint syscalls/sys_enter_read: Permission denied",
      },
    });
  });
});
