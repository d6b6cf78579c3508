// Are the numbers right at full speed? A real server runs flat out for
// BENCH_SECONDS (30 by default) through the whole stack — kernel, agent,
// collector, embedded ClickHouse — and the map's figures for its edge are
// compared with the server's own account of the same window:
//   nginx       wrk at full speed; nginx's access log (one line per request)
//               is the count. Its $request_time has millisecond resolution,
//               too coarse for sub-millisecond requests, so latency is judged
//               on the second server.
//   delay       a Node server that answers each request after a pseudo-random
//               delay (1–60 ms, long-tailed) and records its own duration per
//               request (hrtime from 'request' to 'finish'): its count and
//               nearest-rank p50/p99 are the truth for the map's.
// The record budget (5,000/s by default) is far below nginx's rate, so
// records are sampled while this runs; the map reads the agent's metric
// series, which count every request. wrk is excluded from capture (as a
// load generator on another host would be), so each request is observed once,
// at the server.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startAgent } from "../lib/agent-process.js";
import { type CollectorProcess, spawnCollector } from "../lib/collector-process.js";
import { writeResults } from "../lib/results.js";
import { ensureDebianPackages, startNginx } from "../lib/traced-servers.js";
import { runWrk } from "../lib/wrk.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const NGINX_PORT = 18_431;
const DELAY_PORT = 18_432;

interface MapEdge {
  source: string;
  target: string;
  requestCount: number;
  errorCount: number;
  p50Ms: number;
  p99Ms: number;
}

interface ServerTruth {
  count: number;
  p50Ms: number;
  p99Ms: number;
}

// Nearest-rank quantiles over the server's own durations, printed on SIGUSR2.
const DELAY_SERVER = `
const durations = [];
let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
require("node:http").createServer((req, res) => {
  const start = process.hrtime.bigint();
  res.on("finish", () => durations.push(Number(process.hrtime.bigint() - start) / 1e6));
  const u = random();
  setTimeout(() => res.end("ok\\n"), Math.exp(u * u * Math.log(60)));
}).listen(Number(process.argv[1]), "127.0.0.1");
process.on("SIGUSR2", () => {
  const sorted = durations.slice().sort((a, b) => a - b);
  const rank = (q) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;
  process.stdout.write(JSON.stringify({ count: sorted.length, p50Ms: rank(0.5), p99Ms: rank(0.99) }) + "\\n");
});
`;

async function waitForHttp(url: string): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer`);
}

async function startDelayServer(port: number) {
  const child = spawn(process.execPath, ["-e", DELAY_SERVER, String(port)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url);
  return {
    url,
    truth: () =>
      new Promise<ServerTruth>((resolve) => {
        child.stdout?.once("data", (chunk: Buffer) => resolve(JSON.parse(chunk.toString()) as ServerTruth));
        child.kill("SIGUSR2");
      }),
    stop: () => child.kill(),
  };
}

/**
 * The map's busiest edge since `fromMs` into a server not in `others` (the map
 * names servers by process, and its windows are whole minutes, so an earlier
 * phase's server can share the window), read until two reads agree: series
 * arrive every few seconds.
 */
async function settledBusiestEdge(
  collector: CollectorProcess,
  fromMs: number,
  others: readonly string[] = [],
): Promise<MapEdge> {
  let previous = -1;
  for (let tries = 0; tries < 30; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const url = `${collector.httpUrl}/api/v1/map?from=${fromMs}&to=${Date.now() + 60_000}`;
    const map = (await (await fetch(url)).json()) as { edges: MapEdge[] };
    const candidates = map.edges.filter((edge) => !others.includes(edge.target));
    const busiest = candidates.sort((a, b) => b.requestCount - a.requestCount)[0];
    if (busiest !== undefined) {
      const count = candidates
        .filter((edge) => edge.target === busiest.target)
        .reduce((sum, edge) => sum + edge.requestCount, 0);
      if (count === previous) return { ...busiest, requestCount: count };
      previous = count;
    }
  }
  throw new Error("the map's figures did not settle");
}

const ratio = (value: number, truth: number) => Math.round((value / truth) * 10_000) / 10_000;

async function main(): Promise<void> {
  ensureDebianPackages(["nginx-light", "wrk"]);
  const dir = mkdtempSync(path.join(tmpdir(), "periscope-accuracy-"));
  const collector = await spawnCollector(path.join(dir, "data"));
  const agent = await startAgent(collector.grpcAddress);
  const excludeWrk = (wrkPid: number) => agent.configure({ pids: { exclude: [wrkPid, process.pid] } });
  try {
    const accessLog = path.join(dir, "access.log");
    const nginx = await startNginx(path.join(dir, "nginx"), NGINX_PORT, accessLog);
    const nginxFrom = Date.now();
    const statsBefore = await agent.stats();
    const nginxLoad = await runWrk(nginx.url, SECONDS, 4, excludeWrk);
    const statsAfter = await agent.stats();
    nginx.stop();
    await new Promise((resolve) => setTimeout(resolve, 500)); // SIGQUIT: nginx flushes its log and exits
    const nginxLogged = readFileSync(accessLog, "utf8")
      .split("\n")
      .filter((line) => line !== "").length;
    const nginxEdge = await settledBusiestEdge(collector, nginxFrom);

    const delay = await startDelayServer(DELAY_PORT);
    const delayFrom = Date.now();
    await runWrk(delay.url, SECONDS, 64, excludeWrk);
    const delayEdge = await settledBusiestEdge(collector, delayFrom, [nginxEdge.target]);
    const truth = await delay.truth();
    delay.stop();

    const sampled =
      (statsAfter.drops.records_sampled_out ?? 0) - (statsBefore.drops.records_sampled_out ?? 0);
    const kept = statsAfter.records.exported - statsBefore.records.exported;
    writeResults("accuracy", {
      seconds: SECONDS,
      nginx_requests_per_second: Math.round(nginxLoad.requestsPerSecond),
      nginx_access_log_count: nginxLogged,
      nginx_map_count: nginxEdge.requestCount,
      nginx_count_ratio: ratio(nginxEdge.requestCount, nginxLogged),
      nginx_records_kept: kept,
      nginx_records_sampled_out: sampled,
      delay_server_count: truth.count,
      delay_map_count: delayEdge.requestCount,
      delay_count_ratio: ratio(delayEdge.requestCount, truth.count),
      delay_server_p50_ms: Math.round(truth.p50Ms * 1000) / 1000,
      delay_map_p50_ms: delayEdge.p50Ms,
      delay_p50_ratio: ratio(delayEdge.p50Ms, truth.p50Ms),
      delay_server_p99_ms: Math.round(truth.p99Ms * 1000) / 1000,
      delay_map_p99_ms: delayEdge.p99Ms,
      delay_p99_ratio: ratio(delayEdge.p99Ms, truth.p99Ms),
    });
  } finally {
    await agent.stop();
    await collector.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
