// The agent as an operator runs it: its own process, the real kernel, a real
// gRPC collector. It must export what a curl did, report its losses, stop
// cleanly on SIGTERM, and refuse to start without root with a message that
// says so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HTTP_SERVER_SCRIPT,
  isRoot,
  type NodeChild,
  requireRootInCi,
  runToExit,
  startNode,
  waitFor,
} from "./capture/fixtures/kernel-processes.js";
import { type AgentProcess, agentAttached, startAgentProcess } from "./testing/agent-process.js";
import { type FakeCollector, startFakeCollector } from "./testing/fake-collector.js";

requireRootInCi("main.kernel.test.ts");

describe.skipIf(!isRoot)("periscope-agent process (root only; skipped otherwise outside CI)", () => {
  let collector: FakeCollector;
  let server: NodeChild;
  let agent: AgentProcess;

  beforeAll(async () => {
    collector = await startFakeCollector();
    server = await startNode(HTTP_SERVER_SCRIPT);
    agent = startAgentProcess({
      PERISCOPE_COLLECTOR_ADDR: collector.address,
      PERISCOPE_AGENT_ID: "main-test",
    });
    await agentAttached(agent);
  }, 30_000);

  afterAll(async () => {
    agent?.child.kill("SIGKILL");
    server?.child.kill();
    await collector?.stop();
  });

  it("exports the request a curl made, as its agent, with drop counters", async () => {
    await runToExit("curl", ["-s", `http://127.0.0.1:${server.firstLine}/main-test?x=1`]);
    const batch = await waitFor(
      "an exported record of the curl",
      () => collector.received.find((b) => b.requests.some((r) => r.target === "/main-test?x=1")),
      10_000,
    );
    expect(batch.agentId).toBe("main-test");
    const record = batch.requests.find((r) => r.target === "/main-test?x=1");
    expect(record?.operation).toBe("GET");
    expect(record?.status).toBe(200);
    expect(batch.agent?.drops).toBeDefined();
    // Its counts of what it handled grow with the traffic: a later batch reports at least this record.
    const later = await waitFor(
      "a batch reporting the curl's record as sent",
      () => collector.received.find((b) => (b.agent?.activity?.recordsSent ?? 0n) >= 1n),
      15_000,
    );
    expect(later.agent?.activity?.events).toBeGreaterThan(0n);
    expect(later.agent?.activity?.records).toBeGreaterThanOrEqual(later.agent?.activity?.recordsSent ?? 0n);
  });

  it("stops cleanly on SIGTERM, flushing its last batch", async () => {
    // Traffic just before the signal: its record is still in the exporter's
    // open batch (flushed each second) when the agent is told to stop.
    await runToExit("curl", ["-s", `http://127.0.0.1:${server.firstLine}/last-words`]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    agent.child.kill("SIGTERM");
    expect(await agent.exited).toBe(0);
    expect(collector.received.some((b) => b.requests.some((r) => r.target === "/last-words"))).toBe(true);
    expect(agent.output()).toMatch(/periscope-agent: stopped on SIGTERM, \d+ records exported/);
    expect(agent.output()).not.toMatch(/Error|at .*\.js:\d+/);
  });

  it("refuses to start without root and says what is missing", async () => {
    const unprivileged = startAgentProcess({ PERISCOPE_COLLECTOR_ADDR: collector.address }, [
      "setpriv",
      "--reuid=65534",
      "--regid=65534",
      "--clear-groups",
      "--inh-caps=-all",
      "--bounding-set=-all",
    ]);
    expect(await unprivileged.exited).toBe(1);
    expect(unprivileged.output()).toContain("periscope-agent: cannot start tracing");
    expect(unprivileged.output()).toMatch(/must run as root/);
  }, 20_000);
});
