// The agent process ships TCP health: with a short interval, a refused
// connect and a completed exchange reach the collector as ConnectionStats,
// with the process and both endpoints.
import type { ConnectionStats } from "@periscope/proto";
import { Side } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HTTP_SERVER_SCRIPT,
  isRoot,
  type NodeChild,
  requireRootInCi,
  runToExit,
  startNode,
  waitFor,
} from "../capture/fixtures/kernel-processes.js";
import { type AgentProcess, agentAttached, startAgentProcess } from "../testing/agent-process.js";
import { type FakeCollector, startFakeCollector } from "../testing/fake-collector.js";

requireRootInCi("agent-tcp-health.kernel.test.ts");

describe.skipIf(!isRoot)("agent process TCP health (root only; skipped otherwise outside CI)", () => {
  let collector: FakeCollector;
  let server: NodeChild;
  let agent: AgentProcess;
  const shipped = (): ConnectionStats[] => collector.received.flatMap((batch) => batch.connections);

  beforeAll(async () => {
    collector = await startFakeCollector();
    server = await startNode(HTTP_SERVER_SCRIPT);
    agent = startAgentProcess({
      PERISCOPE_COLLECTOR_ADDR: collector.address,
      PERISCOPE_AGENT_ID: "tcp-health-test",
      PERISCOPE_TCP_HEALTH_INTERVAL_MS: "300",
    });
    await agentAttached(agent);
  }, 30_000);

  afterAll(async () => {
    agent?.child.kill("SIGKILL");
    server?.child.kill();
    await collector?.stop();
  });

  it("exports a refused connect and a completed exchange as connection stats", async () => {
    // Back to back: the second connection's socket usually reuses the first's
    // freed slot, so the refused connect must survive being displaced.
    await runToExit("sh", ["-c", "curl -s -m 2 http://127.0.0.1:1/ || true"]);
    const port = Number(server.firstLine);
    await runToExit("curl", ["-s", `http://127.0.0.1:${port}/health`]);
    const refused = await waitFor(
      "the refused connect",
      () => shipped().find((c) => c.connectFailed && c.remote?.port === 1 && c.local?.processName === "curl"),
      10_000,
    );
    expect(refused.resetsReceived).toBe(1);
    expect(refused.role).toBe(Side.CLIENT);
    expect(refused.state).toBe("CLOSE");
    expect(refused.local?.pid).toBeGreaterThan(0);
    const completed = await waitFor(
      "the completed exchange, client side",
      () => shipped().find((c) => c.remote?.port === port && c.local?.processName === "curl" && c.closed),
      10_000,
    );
    const sameConnection = shipped().filter((c) => c.connectionId === completed.connectionId);
    expect(sameConnection.some((c) => c.connectDurationNano > 0n)).toBe(true);
    expect(sameConnection.reduce((sum, c) => sum + c.bytesReceived, 0n)).toBeGreaterThan(100n);
    expect(completed.timeUnixNano).toBeGreaterThan(BigInt(Date.now() - 60_000) * 1_000_000n);
    // The server's end, learnt at accept(): the server's process, the client's port as its remote.
    const serverSide = await waitFor(
      "the server's end with its process",
      () =>
        shipped().find(
          (c) => c.local?.port === port && c.role === Side.SERVER && c.local?.pid === server.pid,
        ),
      10_000,
    );
    expect(serverSide.remote?.port).toBe(completed.local?.port);
  });
});
