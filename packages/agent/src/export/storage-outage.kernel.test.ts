// Issue #14: the collector's storage unreachable for a while under ~1,000
// records/s — nothing lost, nothing stored twice, the agent's and collector's
// memory within their bounds. The real agent (root, with its disk spool), the
// real collector on the server backend (PERISCOPE_STORAGE_URL) against the
// HTTP stand-in for a ClickHouse server (backed by the embedded engine),
// stopped and started again mid-run, and a keep-alive client at 500
// requests/s (a record at each end: 1,000 records/s). The collector's buffer
// is kept small so that the outage outgrows it: the collector then refuses
// batches, and the agent keeps them (memory, then spool).
//
// The issue asks for 5 minutes; the suite runs PERISCOPE_TEST_OUTAGE_SECONDS
// (20 by default) to stay short. A one-off run with 300 is in the agent README.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

requireRootInCi("storage-outage.kernel.test.ts");

const OUTAGE_SECONDS = Number(process.env.PERISCOPE_TEST_OUTAGE_SECONDS ?? 20);
const RATE_PER_SECOND = 500;
const LEAD_SECONDS = 5;
const TRAFFIC_SECONDS = LEAD_SECONDS + OUTAGE_SECONDS + 5;
const COLLECTOR_BUFFER_MB = 4;
/** The exporter's maxPendingBatches default: what the agent holds in memory at most. */
const AGENT_MEMORY_BATCHES = 64;

/** The collector's fixture (packages/collector/src/storage/fixtures/clickhouse-http-stand-in.ts), loaded by path: it is not part of the agent's sources. */
interface ClickHouseHttpStandIn {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}
const STAND_IN_MODULE = new URL(
  "../../../collector/src/storage/fixtures/clickhouse-http-stand-in.ts",
  import.meta.url,
).href;
async function startClickHouseHttpStandIn(dataDir: string): Promise<ClickHouseHttpStandIn> {
  const fixture = (await import(STAND_IN_MODULE)) as {
    startClickHouseHttpStandIn(dataDir: string): Promise<ClickHouseHttpStandIn>;
  };
  return fixture.startClickHouseHttpStandIn(dataDir);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMegabytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "latin1"));
  return Number(match?.[1] ?? 0) / 1024;
}

interface AgentStatsBody {
  records: { dropped: number };
  exportBatches: { dropped: number; rejected: number };
  backlog: { pendingBatches: number; spoolBatches: number; spoolBytes: number };
}

describe.skipIf(!isRoot)("storage unreachable under load (root only; skipped otherwise outside CI)", () => {
  const standInDir = mkdtempSync(join(tmpdir(), "periscope-outage-storage-"));
  const spoolDir = mkdtempSync(join(tmpdir(), "periscope-outage-spool-"));
  let standIn: ClickHouseHttpStandIn;
  let server: NodeChild;
  let agent: AgentProcess;
  let agentApi: string;
  let collector: CollectorProcess | undefined;
  let paths: string[] = [];
  const peak = { agentPending: 0, agentSpoolBatches: 0, agentRssMb: 0, collectorQueueBytes: 0 };
  let finalAgentStats: AgentStatsBody;

  const agentStats = async (): Promise<AgentStatsBody> =>
    (await (await fetch(`http://${agentApi}/v1/stats`)).json()) as AgentStatsBody;
  const collectorQueue = async (unit: "batches" | "bytes"): Promise<number> => {
    const text = await (await fetch(`${collector?.httpUrl}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(`periscope_ingest_queue_depth{unit="${unit}"} `));
    return Number(line?.split(" ")[1] ?? Number.NaN);
  };

  beforeAll(
    async () => {
      // The stand-in serves from this process: named like Periscope's own
      // processes, its storage traffic is left out of capture as the collector's is.
      process.title = "periscope-test-storage";
      standIn = await startClickHouseHttpStandIn(standInDir);
      server = await startNode(HTTP_SERVER_SCRIPT);
      collector = await startCollectorProcess({
        PERISCOPE_STORAGE_URL: standIn.url,
        PERISCOPE_INGEST_BUFFER_MB: String(COLLECTOR_BUFFER_MB),
      });
      agentApi = `127.0.0.1:${await freePort()}`;
      agent = startAgentProcess({
        PERISCOPE_COLLECTOR_ADDR: collector.grpcAddress,
        PERISCOPE_AGENT_ID: "outage-test",
        PERISCOPE_AGENT_API_ADDR: agentApi,
        PERISCOPE_SPOOL_DIR: spoolDir,
        PERISCOPE_RECORD_BUDGET: "100000",
      });
      await agentAttached(agent);

      const client = runIdClient(server.firstLine, "outage", TRAFFIC_SECONDS, RATE_PER_SECOND);
      await sleep(LEAD_SECONDS * 1000);
      await standIn.stop();
      const outageEnds = Date.now() + OUTAGE_SECONDS * 1000;
      while (Date.now() < outageEnds) {
        const stats = await agentStats();
        peak.agentPending = Math.max(peak.agentPending, stats.backlog.pendingBatches);
        peak.agentSpoolBatches = Math.max(peak.agentSpoolBatches, stats.backlog.spoolBatches);
        peak.agentRssMb = Math.max(peak.agentRssMb, rssMegabytes(agent.child.pid ?? 0));
        peak.collectorQueueBytes = Math.max(peak.collectorQueueBytes, await collectorQueue("bytes"));
        await sleep(1000);
      }
      await standIn.start();
      paths = await client;
      await until(async () => {
        const stats = await agentStats();
        const drained = stats.backlog.pendingBatches === 0 && stats.backlog.spoolBatches === 0;
        return drained && (await collectorQueue("batches")) === 0 ? true : undefined;
      });
      // The last second's records are still in the agent's open batch.
      await sleep(2_000);
      finalAgentStats = await agentStats();
      agent.child.kill("SIGTERM");
      await agent.exited;
      await until(async () => ((await collectorQueue("batches")) === 0 ? true : undefined));
      await collector.stop();
      collector = undefined;
    },
    120_000 + 2 * OUTAGE_SECONDS * 1000,
  );

  afterAll(async () => {
    agent?.child.kill("SIGKILL");
    server?.child.kill();
    await collector?.stop();
    await standIn?.close();
    rmSync(standInDir, { recursive: true, force: true });
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it("stores every request sent exactly once from each side", async () => {
    const response = await fetch(standIn.url, {
      method: "POST",
      // This run's server only: another test's traffic, also captured, has the same paths.
      body: `SELECT target, side, count() FROM requests WHERE server_port = ${server.firstLine} AND target LIKE '/outage/%' GROUP BY target, side FORMAT TSV`,
    });
    const rows = (await response.text())
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => {
        const [target = "", side = "", count = "0"] = line.split("\t");
        return [target, side, Number(count)] as [string, string, number];
      });
    const { byPhase, extra } = compareSentWithStored(new Map([["outage", paths]]), rows);
    console.log(
      `storage-outage: ${OUTAGE_SECONDS} s outage at ${2 * RATE_PER_SECOND} records/s`,
      JSON.stringify({ ...byPhase.outage, peak }),
    );
    if (byPhase.outage?.twice !== 0) {
      // Which batches carried the records stored twice: the same batch_seq twice, or two batches.
      const twice = await fetch(standIn.url, {
        method: "POST",
        body: `SELECT batch_seq, count() AS rows, min(target), max(target) FROM requests WHERE server_port = ${server.firstLine} AND (target, side) IN (SELECT target, side FROM requests WHERE target LIKE '/outage/%' GROUP BY target, side HAVING count() > 1) GROUP BY batch_seq ORDER BY batch_seq FORMAT TSV`,
      });
      console.log("storage-outage: batches holding records stored twice\n", await twice.text());
    }
    expect(paths).toHaveLength(TRAFFIC_SECONDS * RATE_PER_SECOND);
    expect(byPhase.outage).toMatchObject({ missing: 0, twice: 0 });
    expect(extra).toEqual([]);
  });

  it("kept within the agent's memory bound (the rest spooled) and the collector's buffer", () => {
    expect(peak.agentPending).toBeLessThanOrEqual(AGENT_MEMORY_BATCHES);
    expect(peak.collectorQueueBytes).toBeLessThanOrEqual(COLLECTOR_BUFFER_MB * 1024 * 1024);
    expect(finalAgentStats.records.dropped).toBe(0);
    expect(finalAgentStats.exportBatches).toMatchObject({ dropped: 0, rejected: 0 });
  });
});
