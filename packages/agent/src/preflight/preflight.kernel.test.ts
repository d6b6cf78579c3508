// The real agent on nodes that lack something, simulated by pointing it at
// an empty BTF file, a missing tracefs, a tracefs without some tracepoints
// and a missing tcp_health.bpf.o: it names everything missing in one message
// and exits when capture is impossible; otherwise it runs with the features
// it cannot have switched off, as errors in its log and in the AgentInfo the
// collector lists (/api/v1/agents).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentInfo } from "@periscope/proto";
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
import { type AgentProcess, startAgentProcess } from "../testing/agent-process.js";
import { startCollectorProcess, until } from "../testing/collector-process.js";
import { type FakeCollector, startFakeCollector } from "../testing/fake-collector.js";
import { freePort } from "../testing/free-port.js";

requireRootInCi("preflight.kernel.test.ts");

const REAL_TRACEFS = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"].find((p) =>
  existsSync(`${p}/events`),
);

/** A tracefs look-alike: the real one's events, less `removed` ("category/name"). */
function tracefsWithout(dir: string, removed: string[]): string {
  const real = REAL_TRACEFS as string;
  const root = join(dir, "tracefs");
  mkdirSync(join(root, "events"), { recursive: true });
  const trimmed = new Set(removed.map((event) => event.split("/")[0]));
  for (const category of readdirSync(`${real}/events`, { withFileTypes: true })) {
    if (!category.isDirectory()) continue;
    const target = join(root, "events", category.name);
    if (!trimmed.has(category.name)) {
      symlinkSync(`${real}/events/${category.name}`, target);
      continue;
    }
    mkdirSync(target);
    for (const event of readdirSync(`${real}/events/${category.name}`)) {
      if (!removed.includes(`${category.name}/${event}`))
        symlinkSync(`${real}/events/${category.name}/${event}`, join(target, event));
    }
  }
  return root;
}

async function attachedOrExited(agent: AgentProcess): Promise<void> {
  await waitFor(
    "the agent to attach or exit",
    () =>
      agent.output().includes("periscope-agent: tracing, exporting") || agent.child.exitCode !== null
        ? true
        : undefined,
    30_000,
  );
}

function latestAgentInfo(collector: FakeCollector, agentId: string): AgentInfo | undefined {
  return collector.received.filter((batch) => batch.agentId === agentId && batch.agent !== undefined).at(-1)
    ?.agent;
}

describe.skipIf(!isRoot)(
  "agent preflight on a node missing things (root only; skipped otherwise outside CI)",
  () => {
    let dir: string;
    let collector: FakeCollector;
    let server: NodeChild;
    const agents: AgentProcess[] = [];
    /** An agent on its own API port (another agent on this machine may hold the default). */
    const startAgent = async (env: Record<string, string>): Promise<AgentProcess> => {
      const agent = startAgentProcess({
        PERISCOPE_COLLECTOR_ADDR: collector.address,
        PERISCOPE_AGENT_API_ADDR: `127.0.0.1:${await freePort()}`,
        ...env,
      });
      agents.push(agent);
      return agent;
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "periscope-preflight-"));
      collector = await startFakeCollector();
      server = await startNode(HTTP_SERVER_SCRIPT);
    }, 30_000);

    afterAll(async () => {
      for (const agent of agents) agent.child.kill("SIGKILL");
      server?.child.kill();
      await collector?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("exits 1 naming an empty BTF file and a missing tracefs in one message", async () => {
      const emptyBtf = join(dir, "empty.btf");
      writeFileSync(emptyBtf, "");
      const missingTracefs = join(dir, "no-tracefs");
      const agent = await startAgent({
        PERISCOPE_AGENT_ID: "preflight-fatal",
        PERISCOPE_BTF_PATH: emptyBtf,
        PERISCOPE_TRACEFS_PATH: missingTracefs,
      });
      expect(await agent.exited).toBe(1);
      const output = agent.output();
      // One message: a header, then one line per missing thing.
      expect(output.match(/cannot start tracing/g)).toHaveLength(1);
      expect(output).toMatch(
        /^periscope-agent: cannot start tracing on this node \(kernel [^)]+\); missing:$/m,
      );
      expect(output).toContain(
        `  - kernel BTF: ${emptyBtf} is empty — CO-RE relocations need the kernel's type information; point PERISCOPE_BTF_PATH at this kernel's BTF`,
      );
      expect(output).toContain(
        `  - tracefs: no tracefs at ${missingTracefs} (${missingTracefs}/events: No such file or directory`,
      );
      expect(output).not.toMatch(/at .*\.(js|ts):\d+/);
    }, 30_000);

    it("runs without tracepoints the node lacks, reporting each switched-off feature to the collector", async () => {
      const tracefs = tracefsWithout(dir, ["sched/sched_process_exit", "tcp/tcp_probe"]);
      const agent = await startAgent({
        PERISCOPE_AGENT_ID: "preflight-partial",
        PERISCOPE_TRACEFS_PATH: tracefs,
      });
      await attachedOrExited(agent);
      expect(agent.child.exitCode).toBeNull();
      // Still capturing, through the configured tracefs.
      await runToExit("curl", ["-s", `http://127.0.0.1:${server.firstLine}/preflight-partial`]);
      await waitFor(
        "the curl's record",
        () => collector.received.find((b) => b.requests.some((r) => r.target === "/preflight-partial")),
        15_000,
      );
      const info = await waitFor(
        "AgentInfo naming the features that are off",
        () => {
          const latest = latestAgentInfo(collector, "preflight-partial");
          return latest && latest.captureProblems.length >= 3 ? latest : undefined;
        },
        15_000,
      );
      const problems = info.captureProblems.map((p) => `${p.feature}: ${p.reason}`);
      expect(problems).toEqual([
        "tcp_health: partly: tracepoints tcp:tcp_probe are missing, so their figures stay zero",
        "process_exit_close: tracepoint sched:sched_process_exit is missing: connections of a process that exits without close() end when found idle (5 min), not at its exit",
        `process_exit_close: socket_trace.bpf.o program on_process_exit (tracepoint/sched/sched_process_exit) not loaded: tracepoint sched:sched_process_exit not in ${tracefs}/events`,
        `tcp_health: tcp_health.bpf.o program on_tcp_probe (raw_tp/tcp_probe) not loaded: tracepoint tcp_probe not in ${tracefs}/events`,
      ]);
      expect(agent.output()).toMatch(/^periscope-agent: error: running without \(kernel [^)]+\):$/m);
      expect(agent.output()).toContain(
        "periscope-agent: error: process_exit_close off: socket_trace.bpf.o program on_process_exit",
      );
      agent.child.kill("SIGKILL");
    }, 60_000);

    it("reports a missing tcp_health.bpf.o as an error in its log and its AgentInfo, and captures requests anyway", async () => {
      const agent = await startAgent({
        PERISCOPE_AGENT_ID: "preflight-no-tcp-object",
        PERISCOPE_TCP_HEALTH_OBJECT: join(dir, "missing", "tcp_health.bpf.o"),
      });
      await attachedOrExited(agent);
      expect(agent.child.exitCode).toBeNull();
      const reason = `BPF object not found at ${join(dir, "missing", "tcp_health.bpf.o")} (the image must ship tcp_health.bpf.o; or set PERISCOPE_TCP_HEALTH_OBJECT)`;
      expect(agent.output()).toContain(`periscope-agent: error: running without`);
      expect(agent.output()).toContain(`  - tcp_health: ${reason}`);
      await runToExit("curl", ["-s", `http://127.0.0.1:${server.firstLine}/preflight-no-tcp-object`]);
      const info = await waitFor(
        "AgentInfo with the missing object",
        () => latestAgentInfo(collector, "preflight-no-tcp-object"),
        15_000,
      );
      expect(info.captureProblems.map((p) => ({ feature: p.feature, reason: p.reason }))).toEqual([
        { feature: "tcp_health", reason },
      ]);
      await waitFor(
        "the curl's record",
        () => collector.received.find((b) => b.requests.some((r) => r.target === "/preflight-no-tcp-object")),
        30_000,
      );
      agent.child.kill("SIGKILL");
    }, 60_000);
    it("shows that agent as degraded, with the reason, in a real collector's GET /api/v1/agents", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "periscope-preflight-data-"));
      const realCollector = await startCollectorProcess({ PERISCOPE_DATA_DIR: dataDir });
      try {
        const missing = join(dir, "missing", "tcp_health.bpf.o");
        const agent = await startAgent({
          PERISCOPE_COLLECTOR_ADDR: realCollector.grpcAddress,
          PERISCOPE_AGENT_ID: "preflight-api",
          PERISCOPE_TCP_HEALTH_OBJECT: missing,
        });
        await attachedOrExited(agent);
        expect(agent.child.exitCode).toBeNull();
        type Agents = {
          agents: {
            agentId: string;
            health: string;
            captureProblems?: { feature: string; reason: string }[];
          }[];
        };
        // The agent's first batch (a heartbeat at the latest) carries its AgentInfo.
        const listed = await until(async () => {
          const body = (await (await fetch(`${realCollector.httpUrl}/api/v1/agents`)).json()) as Agents;
          return body.agents.find((a) => a.agentId === "preflight-api" && a.captureProblems !== undefined);
        });
        expect(listed.health).toBe("degraded");
        expect(listed.captureProblems).toEqual([
          {
            feature: "tcp_health",
            reason: `BPF object not found at ${missing} (the image must ship tcp_health.bpf.o; or set PERISCOPE_TCP_HEALTH_OBJECT)`,
          },
        ]);
        agent.child.kill("SIGKILL");
      } finally {
        await realCollector.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 90_000);
  },
);
