// Agent overhead on a traced keep-alive HTTP server: wrk against nginx and a
// Node http server, with the agent off and on, alternating within one run so
// drift in the machine's load hits both sides alike. Full HTTP capture (the
// agent's defaults). Prints and writes throughput and p99 ratios (on/off),
// the agent's CPU seconds per 10k requests and its peak RSS.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type RunningAgent, startAgent, startCountingSink } from "../lib/agent-process.js";
import { writeResults } from "../lib/results.js";
import {
  ensureDebianPackages,
  startNginx,
  startNodeServer,
  type TracedServer,
} from "../lib/traced-servers.js";
import { runWrk, type WrkResult } from "../lib/wrk.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = 16;

interface Phase {
  off: WrkResult[];
  on: WrkResult[];
  agentCpuSeconds: number;
  agentRequests: number;
  peakRssMb: number;
  recordsExported: number;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);

async function measure(server: TracedServer, sinkAddress: string, sink: { records: number }): Promise<Phase> {
  const phase: Phase = {
    off: [],
    on: [],
    agentCpuSeconds: 0,
    agentRequests: 0,
    peakRssMb: 0,
    recordsExported: 0,
  };
  runWrk(server.url, 2, CONNECTIONS); // warm-up: JIT, caches, keep-alive pools
  for (let round = 0; round < ROUNDS; round++) {
    phase.off.push(runWrk(server.url, SECONDS, CONNECTIONS));
    const agent: RunningAgent = await startAgent(sinkAddress);
    const recordsBefore = sink.records;
    const cpuBefore = agent.cpuSeconds();
    const on = runWrk(server.url, SECONDS, CONNECTIONS);
    phase.agentCpuSeconds += agent.cpuSeconds() - cpuBefore;
    phase.agentRequests += on.requests;
    phase.peakRssMb = Math.max(phase.peakRssMb, agent.peakRssMb());
    await agent.stop(); // flushes its last batch
    phase.recordsExported += sink.records - recordsBefore;
    phase.on.push(on);
    console.log(
      `${server.name} round ${round + 1}: off ${Math.round(phase.off[round]?.requestsPerSecond ?? 0)} req/s p99 ${phase.off[round]?.p99Ms} ms; ` +
        `on ${Math.round(on.requestsPerSecond)} req/s p99 ${on.p99Ms} ms`,
    );
  }
  return phase;
}

ensureDebianPackages(["wrk", "nginx-light"]);
const dir = mkdtempSync(path.join(tmpdir(), "periscope-overhead-"));
const sink = await startCountingSink();
const phases: Record<string, Phase> = {};
try {
  for (const start of [() => startNginx(dir, 18_081), () => startNodeServer(18_082)]) {
    const server = await start();
    try {
      phases[server.name] = await measure(server, sink.address, sink);
    } finally {
      server.stop();
    }
  }
} finally {
  await sink.stop();
  rmSync(dir, { recursive: true, force: true });
}

const all = Object.values(phases);
const perServer = (pick: (p: Phase) => number) =>
  Object.fromEntries(Object.entries(phases).map(([name, p]) => [name, Number(pick(p).toFixed(3))]));
const throughputRatio = (p: Phase) =>
  mean(p.on.map((r) => r.requestsPerSecond)) / mean(p.off.map((r) => r.requestsPerSecond));
const p99Ratio = (p: Phase) => mean(p.on.map((r) => r.p99Ms)) / mean(p.off.map((r) => r.p99Ms));
const cpuPer10k = (p: Phase) => (p.agentCpuSeconds / Math.max(p.agentRequests, 1)) * 10_000;
// HTTP records exported per request served while on: shows capture was really on
// (each request is observed at the server; wrk itself is traced too, so up to 2).
const recordsPerRequest = (p: Phase) => p.recordsExported / Math.max(p.agentRequests, 1);

writeResults("agent-overhead", {
  throughput_ratio: Number(mean(all.map(throughputRatio)).toFixed(3)),
  p99_ratio: Number(mean(all.map(p99Ratio)).toFixed(3)),
  agent_cpu_s_per_10k_requests: Number(mean(all.map(cpuPer10k)).toFixed(3)),
  agent_peak_rss_mb: Number(Math.max(...all.map((p) => p.peakRssMb)).toFixed(1)),
  throughput_ratio_by_server: perServer(throughputRatio),
  p99_ratio_by_server: perServer(p99Ratio),
  agent_cpu_s_per_10k_requests_by_server: perServer(cpuPer10k),
  records_per_request_by_server: perServer(recordsPerRequest),
  off_requests_per_second_by_server: perServer((p) => mean(p.off.map((r) => r.requestsPerSecond))),
});
