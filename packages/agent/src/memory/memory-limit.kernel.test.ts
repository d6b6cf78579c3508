// The real agent under a memory limit below its own RSS (64Mi; an agent run
// through tsx holds ~100 MiB): it is ready once attached and the collector
// took a batch, sheds records from its first RSS check on, counts them in
// /v1/stats and AgentInfo, and still sends the metric series of every request.
import { SeriesKind, Side } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HTTP_SERVER_SCRIPT,
  isRoot,
  type NodeChild,
  requireRootInCi,
  runToExit,
  startNode,
} from "../capture/fixtures/kernel-processes.js";
import type { AgentStats } from "../control/agent-stats.js";
import type { ReadinessReport } from "../control/readiness.js";
import { type AgentProcess, agentAttached, startAgentProcess } from "../testing/agent-process.js";
import { type FakeCollector, startFakeCollector } from "../testing/fake-collector.js";
import { freePort } from "../testing/free-port.js";

requireRootInCi("memory-limit.kernel.test.ts");

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!isRoot)("the agent under a memory limit (root only; skipped otherwise outside CI)", () => {
  let collector: FakeCollector;
  let server: NodeChild;
  let agent: AgentProcess;
  let api: string;

  beforeAll(async () => {
    collector = await startFakeCollector();
    server = await startNode(HTTP_SERVER_SCRIPT);
    api = `127.0.0.1:${await freePort()}`;
    agent = startAgentProcess({
      PERISCOPE_COLLECTOR_ADDR: collector.address,
      PERISCOPE_AGENT_ID: "memory-limit-test",
      PERISCOPE_AGENT_API_ADDR: api,
      PERISCOPE_MEMORY_LIMIT: "64Mi",
      PERISCOPE_METRICS_INTERVAL_MS: "1000",
    });
    await agentAttached(agent);
  }, 30_000);

  afterAll(async () => {
    agent?.child.kill("SIGKILL");
    server?.child.kill();
    await collector?.stop();
  });

  it("is ready once attached and the collector took its first batch", async () => {
    const report = await poll("GET /v1/ready 200", async () => {
      const res = await fetch(`http://${api}/v1/ready`);
      return res.status === 200 ? ((await res.json()) as ReadinessReport) : undefined;
    });
    expect(report).toMatchObject({ ready: true, capture: "attached", export: { state: "delivered" } });
    expect(agent.output()).toMatch(
      /memory limit 64 MiB \(PERISCOPE_MEMORY_LIMIT\): 4 batches, 1000 series, 256 connections/,
    );
  });

  it("sheds request records past its high-water mark, counts them, and keeps the series", async () => {
    const targets = Array.from({ length: 5 }, (_, index) => `/shed-${index}`);
    for (const target of targets)
      await runToExit("curl", ["-s", `http://127.0.0.1:${server.firstLine}${target}`]);
    const stats = await poll("the shed records in /v1/stats", async () => {
      const res = await fetch(`http://${api}/v1/stats`);
      const body = (await res.json()) as AgentStats;
      return (body.drops.memory_shed_records ?? 0) >= targets.length ? body : undefined;
    });
    expect(stats.memory).toMatchObject({
      limitBytes: 64 * 2 ** 20,
      source: "PERISCOPE_MEMORY_LIMIT",
      shedding: true,
    });
    // The server's edge series count every request; no record of them left the agent.
    const port = Number(server.firstLine);
    const serverSeriesCount = () =>
      collector.received
        .flatMap((batch) => batch.metrics)
        .filter((s) => s.kind === SeriesKind.EDGE && s.side === Side.SERVER && s.server?.port === port)
        .reduce((sum, s) => sum + Number(s.count), 0);
    await poll("metric series of every request", async () =>
      serverSeriesCount() >= targets.length ? true : undefined,
    );
    expect(serverSeriesCount()).toBe(targets.length);
    const exported = collector.received.flatMap((batch) => batch.requests.map((record) => record.target));
    expect(exported.filter((target) => targets.includes(target))).toEqual([]);
    const reported = await poll("AgentInfo.drops.records_shed_memory", async () =>
      collector.received.find(
        (batch) => (batch.agent?.drops?.recordsShedMemory ?? 0n) >= BigInt(targets.length),
      ),
    );
    expect(reported.agentId).toBe("memory-limit-test");
    expect(agent.output().match(/shedding load/g)).toHaveLength(1);
  }, 30_000);
});
