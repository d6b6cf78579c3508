// Issue #15: internet-facing traffic must not make one map node per client.
// A real server, captured by the real agent, answers 50,000 clients each from
// its own address (127.0.0.0/8 is all local on Linux, so a client can bind any
// 127.x.y.z), through a real collector on the embedded engine. The client
// process is titled periscope-*, which the agent leaves out of capture, so at
// the server every caller is an address no process was found for — as an
// internet client is. Loopback is internal (kept per address), so only the
// peer cap stands between those 50,000 addresses and the map: the map must
// show at most the cap of callers plus one "{overflow}" caller that counts the
// rest, every request counted once, and the agent must report the overflow.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isRoot,
  type NodeChild,
  nextLine,
  requireRootInCi,
  startNode,
} from "../capture/fixtures/kernel-processes.js";
import { type AgentProcess, agentAttached, startAgentProcess } from "../testing/agent-process.js";
import { type CollectorProcess, startCollectorProcess, until } from "../testing/collector-process.js";
import { freePort } from "../testing/free-port.js";

requireRootInCi("peer-cap.kernel.test.ts");

const CLIENTS = Number(process.env.PERISCOPE_TEST_PEER_CLIENTS ?? 50_000);
const CAP = 100;

const SERVER = `
process.title = "peercap-server";
let answered = 0;
const server = require("node:http").createServer((req, res) => {
  answered++;
  res.writeHead(200, { "content-type": "text/plain", connection: "close" });
  res.end("ok");
});
server.keepAliveTimeout = 1;
process.stdin.on("data", () => console.log(answered));
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

/** Waits for "port clients" on stdin, then one request per connection, each from 127.x.y.z of its own. */
const LOAD = `
process.title = "periscope-peerload";
const http = require("node:http");
process.stdin.once("data", async (line) => {
  const [port, total] = String(line).trim().split(" ").map(Number);
  let next = 0;
  let failed = 0;
  const one = () => {
    const i = next++;
    if (i >= total) return Promise.resolve();
    // 127.1.0.0 onwards: never 127.0.0.1, the server's own address.
    const localAddress = "127." + (1 + (i >> 16)) + "." + ((i >> 8) & 255) + "." + (i & 255);
    return new Promise((resolve) => {
      const req = http.get({ host: "127.0.0.1", port, path: "/hello", localAddress, agent: false }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", () => { failed++; resolve(); });
    }).then(one);
  };
  await Promise.all(Array.from({ length: 32 }, one));
  console.log("done " + failed);
});
console.log("ready");
`;

interface MapEdge {
  source: string;
  target: string;
  requestCount: number;
}

describe.skipIf(!isRoot)("peers of one server, end to end (root only; skipped otherwise outside CI)", () => {
  let dataDir: string;
  let collector: CollectorProcess;
  let server: NodeChild;
  let load: NodeChild;
  let agent: AgentProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "periscope-peer-cap-"));
    collector = await startCollectorProcess({ PERISCOPE_DATA_DIR: dataDir });
    server = await startNode(SERVER);
    // Running before the agent starts: its first /proc scan leaves it out.
    load = await startNode(LOAD);
    agent = startAgentProcess({
      PERISCOPE_COLLECTOR_ADDR: collector.grpcAddress,
      PERISCOPE_AGENT_ID: "peer-cap-test",
      PERISCOPE_PEER_CAP: String(CAP),
      PERISCOPE_METRICS_INTERVAL_MS: "1000",
      PERISCOPE_AGENT_API_ADDR: `127.0.0.1:${await freePort()}`,
    });
    await agentAttached(agent);
  }, 90_000);

  afterAll(async () => {
    agent?.child.kill("SIGKILL");
    server?.child.kill();
    load?.child.kill();
    await collector?.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`shows ${CLIENTS.toLocaleString("en")} client addresses as at most ${CAP} callers and one counted {overflow}`, async () => {
    const port = Number(server.firstLine);
    const startedMs = Date.now() - 60_000;
    load.child.stdin?.write(`${port} ${CLIENTS}\n`);
    const done = await nextLine(load.child);
    console.log(`load: ${done} after ${Date.now() - startedMs - 60_000} ms`);
    expect(done).toBe("done 0");
    server.child.stdin?.write("count\n");
    const answered = Number(await nextLine(server.child));
    expect(answered).toBe(CLIENTS);

    const callers = async (): Promise<MapEdge[]> => {
      const response = await fetch(`${collector.httpUrl}/api/v1/map?from=${startedMs}&to=${Date.now()}`);
      const map = (await response.json()) as { edges: MapEdge[] };
      return map.edges.filter((edge) => edge.target === "peercap-server");
    };
    const counted = (edges: MapEdge[]) => edges.reduce((sum, edge) => sum + edge.requestCount, 0);
    // Series every second, batches every second, the collector's insert linger: well within a minute.
    let seen: MapEdge[] = [];
    const deadline = Date.now() + 120_000;
    const edges = await until(async () => {
      seen = await callers();
      if (Date.now() > deadline) {
        throw new Error(
          `the map counted ${counted(seen)} of ${CLIENTS} requests from ${seen.length} callers in 120 s; agent: ${agent.output().slice(-2000)}`,
        );
      }
      return counted(seen) >= CLIENTS ? seen : undefined;
    });
    expect(counted(edges)).toBe(CLIENTS);
    const sources = new Set(edges.map((edge) => edge.source));
    expect(sources.size).toBeLessThanOrEqual(CAP + 1);
    expect(sources.has("{overflow}")).toBe(true);
    // Every other caller is one client address, kept as itself (loopback is internal).
    for (const source of sources) if (source !== "{overflow}") expect(source).toMatch(/^127\.\d+\.\d+\.\d+$/);
    const overflowRequests = counted(edges.filter((edge) => edge.source === "{overflow}"));
    expect(overflowRequests).toBe(CLIENTS - (sources.size - 1));

    // The agent says so too: its peer_overflow counter, as the collector shows it.
    const reported = await until(async () => {
      const stats = (await (await fetch(`${collector.httpUrl}/api/v1/stats`)).json()) as {
        agents: { agentId: string; drops: Record<string, string> }[];
      };
      const drops = stats.agents.find((a) => a.agentId === "peer-cap-test")?.drops;
      const value = Number(drops?.peerOverflow ?? 0);
      return value >= overflowRequests ? value : undefined;
    });
    expect(reported).toBe(overflowRequests);
  }, 300_000);
});
