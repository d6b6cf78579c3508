// Agent overhead on a traced keep-alive HTTP server: wrk against nginx and a
// Node http server, alternating within one run (so drift in the machine's
// load hits every mode alike) between
//   off          no agent,
//   full         the agent with its defaults: full HTTP capture and parsing,
//   kernel-only  the agent with HTTP payload capture off (protocols.http =
//                false through its local API): the kernel hooks still run on
//                every syscall and segment, but nothing is copied or parsed.
// Prints and writes throughput and p99 ratios (full vs off; the
// kernel-only ones too), the agent's CPU seconds per 10k requests, its peak
// RSS, and how many records, ring-buffer drops and export drops (records the
// exporter lost to its full queue) it had per request.
// A last short run per server, with the kernel's BPF accounting on, says
// which programs the kernel-side time per request goes to (every BPF
// program on the host counts, the agent's and any other's).
// wrk, the load generator, would be on another host in a real deployment:
// with the agent on, wrk's pid is excluded through the agent's runtime
// controls (pids.exclude, checked at each syscall entry) before wrk starts,
// so only the server's side is captured and parsed. The kernel hooks still
// run on wrk's syscalls up to that check. The bench's own process (the gRPC
// sink standing in for the collector, also elsewhere in a deployment) is
// excluded the same way, so the agent does not parse its own exports.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type RunningAgent, type Sink, startAgent, startSink } from "../lib/agent-process.js";
import { measureBpfPrograms, type ProgramCost } from "../lib/bpf-program-stats.js";
import { writeResults } from "../lib/results.js";
import {
  ensureDebianPackages,
  startNginx,
  startNodeServer,
  type TracedServer,
} from "../lib/traced-servers.js";
import { runWrk, type WrkResult } from "../lib/wrk.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = 16;
const LOAD_GENERATOR_TRACED = false;

interface AgentRun {
  load: WrkResult;
  cpuSeconds: number;
  peakRssMb: number;
  records: number;
  ringbufFull: number;
  /** Records the exporter dropped because its queue of batches was full (drops.export_queue_full). */
  exportDropped: number;
  /** Export calls answered and batches dropped (queue full) during the load. */
  batchesSent: number;
  batchesDropped: number;
}

interface Figures {
  bpfCosts: ProgramCost[];
  bpfRequests: number;
  off: WrkResult[];
  full: AgentRun[];
  kernelOnly: AgentRun[];
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * Applies `config` (a RuntimeConfig, sections left out at their defaults)
 * with wrk's pid and the sink's (this process) excluded.
 */
const excludingLoadGenerator =
  (agent: RunningAgent, config: object = {}) =>
  (wrkPid: number) =>
    agent.configure(LOAD_GENERATOR_TRACED ? config : { ...config, pids: { exclude: [wrkPid, process.pid] } });

async function withAgent(server: TracedServer, sink: Sink, config?: object): Promise<AgentRun> {
  const agent = await startAgent(sink.address);
  try {
    let before = await agent.stats();
    let cpuBefore = agent.cpuSeconds();
    const load = await runWrk(server.url, SECONDS, CONNECTIONS, async (wrkPid) => {
      await excludingLoadGenerator(agent, config)(wrkPid);
      before = await agent.stats();
      cpuBefore = agent.cpuSeconds();
    });
    const cpuSeconds = agent.cpuSeconds() - cpuBefore;
    // Records still in the agent's pipeline after the load are not counted.
    const after = await agent.stats();
    return {
      load,
      cpuSeconds,
      peakRssMb: agent.peakRssMb(),
      records: after.records.emitted - before.records.emitted,
      ringbufFull: (after.drops.ringbuf_full ?? 0) - (before.drops.ringbuf_full ?? 0),
      exportDropped: (after.drops.export_queue_full ?? 0) - (before.drops.export_queue_full ?? 0),
      batchesSent: after.exportBatches.sent - before.exportBatches.sent,
      batchesDropped: after.exportBatches.dropped - before.exportBatches.dropped,
    };
  } finally {
    await agent.stop();
  }
}

async function measure(server: TracedServer, sink: Sink): Promise<Figures> {
  const figures: Figures = { off: [], full: [], kernelOnly: [], bpfCosts: [], bpfRequests: 1 };
  await runWrk(server.url, 2, CONNECTIONS); // warm-up: JIT, caches, keep-alive pools
  for (let round = 0; round < ROUNDS; round++) {
    const off = await runWrk(server.url, SECONDS, CONNECTIONS);
    const full = await withAgent(server, sink);
    const kernelOnly = await withAgent(server, sink, { protocols: { http: false } });
    figures.off.push(off);
    figures.full.push(full);
    figures.kernelOnly.push(kernelOnly);
    const show = (r: WrkResult) => `${Math.round(r.requestsPerSecond)} req/s p99 ${r.p99Ms} ms`;
    const exportDrops = (run: AgentRun) => (run.exportDropped / Math.max(run.load.requests, 1)).toFixed(3);
    console.log(
      `${server.name} round ${round + 1}: off ${show(off)}; full ${show(full.load)}, export dropped ${exportDrops(full)}/request (batches sent ${full.batchesSent}, dropped ${full.batchesDropped}); kernel-only ${show(kernelOnly.load)}`,
    );
  }
  const agent = await startAgent(sink.address);
  try {
    const { result, costs } = await measureBpfPrograms(() =>
      runWrk(server.url, 4, CONNECTIONS, excludingLoadGenerator(agent)),
    );
    figures.bpfCosts = costs;
    figures.bpfRequests = Math.max(result.requests, 1);
  } finally {
    await agent.stop();
  }
  return figures;
}

ensureDebianPackages(["wrk", "nginx-light"]);
console.log(
  LOAD_GENERATOR_TRACED
    ? "load generator (wrk) traced: each request is captured at both ends"
    : "load generator (wrk) and export sink not traced: their pids are excluded through the agent's pids.exclude",
);
const dir = mkdtempSync(path.join(tmpdir(), "periscope-overhead-"));
const sink = await startSink();
const byServer: Record<string, Figures> = {};
try {
  for (const start of [() => startNginx(dir, 18_081), () => startNodeServer(18_082)]) {
    const server = await start();
    try {
      byServer[server.name] = await measure(server, sink);
    } finally {
      server.stop();
    }
  }
} finally {
  await sink.stop();
  rmSync(dir, { recursive: true, force: true });
}

const offRps = (f: Figures) => mean(f.off.map((r) => r.requestsPerSecond));
const offP99 = (f: Figures) => mean(f.off.map((r) => r.p99Ms));
const throughputRatio = (runs: AgentRun[], f: Figures) =>
  mean(runs.map((r) => r.load.requestsPerSecond)) / offRps(f);
const p99Ratio = (runs: AgentRun[], f: Figures) => mean(runs.map((r) => r.load.p99Ms)) / offP99(f);
const requests = (runs: AgentRun[]) => Math.max(sum(runs.map((r) => r.load.requests)), 1);
const cpuPer10k = (runs: AgentRun[]) => (sum(runs.map((r) => r.cpuSeconds)) / requests(runs)) * 10_000;
const perServer = (pick: (f: Figures) => number) =>
  Object.fromEntries(Object.entries(byServer).map(([name, f]) => [name, Number(pick(f).toFixed(3))]));
const overall = (pick: (f: Figures) => number) => Number(mean(Object.values(byServer).map(pick)).toFixed(3));

function topPrograms(): Array<[string, number]> {
  const perRequest = new Map<string, number>();
  const servers = Object.values(byServer);
  for (const f of servers) {
    for (const cost of f.bpfCosts) {
      perRequest.set(
        cost.name,
        (perRequest.get(cost.name) ?? 0) + cost.totalNs / f.bpfRequests / servers.length,
      );
    }
  }
  return [...perRequest.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
}

writeResults("agent-overhead", {
  // wrk and the bench's export sink (this process) excluded through pids.exclude when false.
  load_generator_traced: LOAD_GENERATOR_TRACED,
  throughput_ratio: overall((f) => throughputRatio(f.full, f)),
  p99_ratio: overall((f) => p99Ratio(f.full, f)),
  agent_cpu_s_per_10k_requests: overall((f) => cpuPer10k(f.full)),
  agent_peak_rss_mb: Number(
    Math.max(...Object.values(byServer).flatMap((f) => f.full.map((r) => r.peakRssMb))).toFixed(1),
  ),
  throughput_ratio_kernel_only: overall((f) => throughputRatio(f.kernelOnly, f)),
  p99_ratio_kernel_only: overall((f) => p99Ratio(f.kernelOnly, f)),
  agent_cpu_s_per_10k_requests_kernel_only: overall((f) => cpuPer10k(f.kernelOnly)),
  throughput_ratio_by_server: perServer((f) => throughputRatio(f.full, f)),
  p99_ratio_by_server: perServer((f) => p99Ratio(f.full, f)),
  throughput_ratio_kernel_only_by_server: perServer((f) => throughputRatio(f.kernelOnly, f)),
  // Complete capture is 1 record per request (the server's), 2 when wrk is traced too.
  records_per_request_by_server: perServer((f) => sum(f.full.map((r) => r.records)) / requests(f.full)),
  // Records the exporter dropped (queue of batches full) per request, full capture:
  // anything above 0 means the figures above describe an agent that lost data.
  export_dropped_per_request: overall((f) => sum(f.full.map((r) => r.exportDropped)) / requests(f.full)),
  export_dropped_per_request_by_server: perServer(
    (f) => sum(f.full.map((r) => r.exportDropped)) / requests(f.full),
  ),
  ringbuf_drops_per_request_by_server: perServer(
    (f) => sum(f.full.map((r) => r.ringbufFull)) / requests(f.full),
  ),
  off_requests_per_second_by_server: perServer(offRps),
  // Each round's full run against the off run just before it: the spread
  // shows how much of the figure is the machine's other load.
  throughput_ratio_by_round: Object.fromEntries(
    Object.entries(byServer).flatMap(([name, f]) =>
      f.full.map((run, i) => [
        `${name}#${i + 1}`,
        Number((run.load.requestsPerSecond / (f.off[i]?.requestsPerSecond ?? Number.NaN)).toFixed(3)),
      ]),
    ),
  ),
  bpf_ns_per_request_by_server: perServer((f) => sum(f.bpfCosts.map((c) => c.totalNs)) / f.bpfRequests),
  // The costliest programs (with full capture on), summed over servers' runs.
  bpf_ns_per_request_by_program: Object.fromEntries(
    topPrograms().map(([name, ns]) => [name, Number(ns.toFixed(0))]),
  ),
});
