// End to end: the agent (src/main.ts) profiles a Node process whose hot
// function has a recognisable name, exports the intervals, the collector
// stores them, and GET /api/v1/flamegraph?service=… shows the function.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRoot, requireRootInCi } from "../capture/fixtures/kernel-processes.js";
import { type AgentProcess, agentAttached, startAgentProcess } from "../testing/agent-process.js";
import { type CollectorProcess, startCollectorProcess, until } from "../testing/collector-process.js";
import { freePort } from "../testing/free-port.js";

requireRootInCi("profiler-e2e.kernel.test.ts");

const HOT_SCRIPT = `
function checkoutPriceHotLoop(n) { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i ^ x); return x; }
function loop() { checkoutPriceHotLoop(5e6); setImmediate(loop); }
console.log("ready"); loop();
`;

interface FlameGraphBody {
  names: string[];
  values: number[];
  total: number;
}

describe.skipIf(!isRoot)(
  "profiles from the agent to the flame-graph API (root only; skipped otherwise outside CI)",
  () => {
    let dir: string;
    let collector: CollectorProcess | undefined;
    let agent: AgentProcess | undefined;
    let hot: ChildProcess | undefined;
    let agentApi = "";

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "periscope-profile-e2e-"));
      collector = await startCollectorProcess({ PERISCOPE_DATA_DIR: join(dir, "data") });
      agentApi = `127.0.0.1:${await freePort()}`;
      agent = startAgentProcess({
        PERISCOPE_COLLECTOR_ADDR: collector.grpcAddress,
        PERISCOPE_AGENT_ID: "profile-e2e",
        PERISCOPE_AGENT_API_ADDR: agentApi,
        PERISCOPE_PROFILE_HZ: "199",
        PERISCOPE_PROFILE_INTERVAL_MS: "2000",
      });
      await agentAttached(agent);
      writeFileSync(join(dir, "flame-hot.js"), HOT_SCRIPT);
      hot = spawn(
        process.execPath,
        ["--perf-basic-prof-only-functions", "--interpreted-frames-native-stack", join(dir, "flame-hot.js")],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
    }, 90_000);

    afterAll(async () => {
      hot?.kill("SIGKILL");
      agent?.child.kill("SIGTERM");
      if (agent) await agent.exited;
      await collector?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("shows the Node function by name in the service's flame graph", async () => {
      const started = Date.now() - 60_000;
      // The service name request records would give it: node + the script's name (metadata/service-name.ts).
      const url = `${collector?.httpUrl}/api/v1/flamegraph?service=${encodeURIComponent("node:flame-hot")}&from=${new Date(started).toISOString()}`;
      // Its JIT tiers (interpreted, optimised) are separate frames: their totals add up (no recursion).
      const hotShare = (body: FlameGraphBody) =>
        body.names.reduce(
          (sum, name, i) => sum + (name.includes("checkoutPriceHotLoop") ? (body.values[i] ?? 0) : 0),
          0,
        ) / Math.max(1, body.total);
      let last: FlameGraphBody | undefined;
      // The hot loop is most of what this process does, once its perf map names the JIT code.
      const graph = await until(async () => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`GET flamegraph: ${response.status} ${await response.text()}`);
        last = (await response.json()) as FlameGraphBody;
        return hotShare(last) > 0.3 ? last : Date.now() - started > 110_000 ? null : undefined;
      });
      expect(graph, JSON.stringify(last?.names.slice(0, 40))).not.toBeNull();
      expect(agent?.output()).not.toMatch(/profiler:/);
    }, 60_000);

    it("stops sampling when the runtime config sets profileHz 0, and starts again when it is set back", async () => {
      const put = async (config: object) => {
        const response = await fetch(`http://${agentApi}/v1/config`, {
          method: "PUT",
          body: JSON.stringify(config),
        });
        expect(response.status, await response.text()).toBe(200);
      };
      const total = async () => {
        const from = new Date(Date.now() - 600_000).toISOString();
        const response = await fetch(
          `${collector?.httpUrl}/api/v1/flamegraph?service=${encodeURIComponent("node:flame-hot")}&from=${from}`,
        );
        return ((await response.json()) as FlameGraphBody).total;
      };
      await put({ profileHz: 0 });
      // The open interval is sent when the rate changes; its batch reaches storage within a few seconds.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      const before = await total();
      await new Promise((resolve) => setTimeout(resolve, 5000));
      expect(await total()).toBe(before);
      await put({ profileHz: 97 });
      await until(async () => ((await total()) > before ? true : undefined));
      const stats = (await (await fetch(`http://${agentApi}/v1/stats`)).json()) as {
        profiler?: { rateHz: number; samples: number };
      };
      expect(stats.profiler?.rateHz).toBe(97);
      expect(stats.profiler?.samples).toBeGreaterThan(0);
    }, 40_000);
  },
);
