// Issue #14: nothing an agent built is lost, or stored twice, when the
// collector is SIGKILLed at any point of its ingest cycle. The real agent
// (root, the kernel's programs), the real collector process on the embedded
// engine, and a real keep-alive client at ~200 requests/s to a Node server,
// every request with its own id in its path. The collector kills itself at a
// chosen point (PERISCOPE_TEST_FAULT, packages/collector/src/ingest/test-fault.ts:
// a kill from outside lands 70–140 ms late) and is started again on the same
// data directory and port; at the end what is stored is compared with what
// was sent id by id: one client-side and one server-side row each, none
// missing, none extra.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HTTP_SERVER_SCRIPT,
  isRoot,
  type NodeChild,
  requireRootInCi,
  startNode,
} from "../capture/fixtures/kernel-processes.js";
import { type AgentProcess, agentAttached, startAgentProcess } from "../testing/agent-process.js";
import { type CollectorProcess, startCollectorProcess, until } from "../testing/collector-process.js";
import { freePort } from "../testing/free-port.js";
import { compareSentWithStored, runIdClient } from "../testing/id-client.js";

requireRootInCi("collector-crash.kernel.test.ts");

const RATE_PER_SECOND = 200;
const PHASE_SECONDS = 4;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)),
  ]);
}

interface AgentStatsBody {
  records: { dropped: number };
  exportBatches: { dropped: number; rejected: number };
  backlog: { pendingBatches: number; spoolBatches: number };
}

// Each point in turn; the collector started for a phase dies there, and the
// next phase's collector starts on the same data. "insert" leaves batches
// whose records are stored and whose answer never left; "retry" kills the
// next collector when the agent sends one of them again.
const PHASES = [
  { phase: "call", fault: "call:3" },
  { phase: "ack", fault: "ack:3" },
  { phase: "insert", fault: "insert:2" },
  { phase: "retry", fault: "retry:1" },
] as const;

describe.skipIf(!isRoot)(
  "collector SIGKILLed during ingest (root only; skipped otherwise outside CI)",
  () => {
    const dataDir = mkdtempSync(join(tmpdir(), "periscope-crash-data-"));
    const spoolDir = mkdtempSync(join(tmpdir(), "periscope-crash-spool-"));
    let server: NodeChild;
    let agent: AgentProcess;
    let agentApi: string;
    let grpcAddress: string;
    let collector: CollectorProcess | undefined;
    const sent = new Map<string, string[]>();
    const killedBy = new Map<string, string>();
    let finalAgentStats: AgentStatsBody;

    const startCollector = (fault = "") =>
      startCollectorProcess({
        PERISCOPE_DATA_DIR: dataDir,
        PERISCOPE_GRPC_ADDR: grpcAddress,
        PERISCOPE_TEST_FAULT: fault,
        // The faults count inserts within a 4 s phase: the idle cycle (5 s
        // while nobody reads) would leave "insert:2" unreached.
        PERISCOPE_INGEST_IDLE_LINGER_MS: "1000",
      });
    const agentStats = async (): Promise<AgentStatsBody> =>
      (await (await fetch(`http://${agentApi}/v1/stats`)).json()) as AgentStatsBody;

    beforeAll(async () => {
      grpcAddress = `127.0.0.1:${await freePort()}`;
      agentApi = `127.0.0.1:${await freePort()}`;
      server = await startNode(HTTP_SERVER_SCRIPT);
      agent = startAgentProcess({
        PERISCOPE_COLLECTOR_ADDR: grpcAddress,
        PERISCOPE_AGENT_ID: "crash-test",
        PERISCOPE_AGENT_API_ADDR: agentApi,
        PERISCOPE_SPOOL_DIR: spoolDir,
        // Every record travels: the comparison is record by record.
        PERISCOPE_RECORD_BUDGET: "100000",
      });
      await agentAttached(agent);

      for (const { phase, fault } of PHASES) {
        collector = await startCollector(fault);
        const client = runIdClient(server.firstLine, `crash-${phase}`, PHASE_SECONDS, RATE_PER_SECOND);
        killedBy.set(phase, await withTimeout(collector.exited, 60_000, `the collector to die at ${fault}`));
        collector = undefined;
        sent.set(phase, await client);
      }
      // Up again for good: the agent delivers what it kept, then stops cleanly.
      collector = await startCollector();
      sent.set("after", await runIdClient(server.firstLine, "crash-after", PHASE_SECONDS, RATE_PER_SECOND));
      await withTimeout(
        until(async () => {
          const stats = await agentStats();
          return stats.backlog.pendingBatches === 0 && stats.backlog.spoolBatches === 0 ? stats : undefined;
        }),
        60_000,
        "the agent's backlog to drain",
      );
      // The last second's records are still in the agent's open batch.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      finalAgentStats = await agentStats();
      agent.child.kill("SIGTERM");
      await withTimeout(agent.exited, 20_000, "the agent to stop");
      await collector.stop();
      collector = undefined;
    }, 400_000);

    afterAll(async () => {
      agent?.child.kill("SIGKILL");
      server?.child.kill();
      await collector?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(spoolDir, { recursive: true, force: true });
    });

    it("the collector died by SIGKILL at each point", () => {
      for (const { phase } of PHASES) expect(killedBy.get(phase), phase).toBe("SIGKILL");
    });

    it("stores every request sent exactly once from each side: none missing, none extra", () => {
      // The engine, read in this process once the collector has stopped.
      const collectorPackage = fileURLToPath(new URL("../../../collector/package.json", import.meta.url));
      const { Session } = createRequire(collectorPackage)("chdb") as {
        Session: new (path: string) => { query(sql: string, format: string): { toString(): string } };
      };
      const rows = new Session(dataDir)
        .query(
          // This run's server only: another test's traffic, also captured, may have the same paths.
          `SELECT target, side, count() FROM requests WHERE server_port = ${server.firstLine} AND target LIKE '/crash-%' GROUP BY target, side`,
          "TSV",
        )
        .toString()
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => {
          const [target = "", side = "", count = "0"] = line.split("\t");
          return [target, side, Number(count)] as [string, string, number];
        });
      const { byPhase: report, extra } = compareSentWithStored(sent, rows);
      console.log("collector-crash: ids sent/stored per kill point", JSON.stringify(report));
      for (const [phase, figures] of Object.entries(report)) {
        expect(figures.sent, phase).toBe(PHASE_SECONDS * RATE_PER_SECOND);
        expect({ phase, missing: figures.missing, twice: figures.twice }).toEqual({
          phase,
          missing: 0,
          twice: 0,
        });
      }
      expect(extra).toEqual([]);
    });

    it("the agent counted no loss", () => {
      expect(finalAgentStats.records.dropped).toBe(0);
      expect(finalAgentStats.exportBatches).toMatchObject({ dropped: 0, rejected: 0 });
    });
  },
);
