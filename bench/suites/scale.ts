// Can one collector hold 100 agents? Simulated agents (bench/lib/steady-agents.ts:
// the exporter's batching, in-flight limit and retries, every record folded into
// 5 s metric series) stream a cluster of 200 services, ~600 edges and 8
// namespaces through the real gRPC ingest of a real collector process on the
// embedded engine: BENCH_SCALE_AGENTS (100) agents at BENCH_SCALE_RATE (1,000)
// records/s each for BENCH_SCALE_SECONDS (60). Reported: records acknowledged
// against records offered, batches refused (RESOURCE_EXHAUSTED, retried as an
// agent would), ingest lag p50/p99 (a batch's oldest record → its
// acknowledgement, which comes only once it is stored and queryable), the
// collector's CPU, and the map and RED query times over the data.
// The generator shares the machine's cores with the collector, so on a small
// machine the figures are the collector's floor, not its ceiling.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cpuSeconds, spawnCollector } from "../lib/collector-process.js";
import { writeResults } from "../lib/results.js";
import { SteadyLoad } from "../lib/steady-agents.js";
import { LARGE_CLUSTER } from "../lib/synthetic-topology.js";

const AGENTS = Number(process.env.BENCH_SCALE_AGENTS ?? 100);
const RATE_PER_AGENT = Number(process.env.BENCH_SCALE_RATE ?? 1_000);
const SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 60);
// Batches still in flight or refused when the load stops get this long to land.
const DRAIN_MS = 30_000;

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;

async function medianQueryMs(url: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 6; i++) {
    const start = performance.now();
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
    if (i > 0) samples.push(performance.now() - start); // the first warms caches, as a live UI would
  }
  return Math.round(
    quantile(
      samples.sort((a, b) => a - b),
      0.5,
    ),
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "periscope-scale-"));
  const collector = await spawnCollector(dir);
  try {
    const startMs = Date.now();
    const cpuBefore = cpuSeconds(collector.child.pid) ?? 0;
    const load = new SteadyLoad(collector.grpcAddress, AGENTS * RATE_PER_AGENT, AGENTS, LARGE_CLUSTER);
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    const offered = load.offered();
    const loadSeconds = (Date.now() - startMs) / 1000;
    await load.drained(DRAIN_MS);
    load.stop();
    const cpu = (cpuSeconds(collector.child.pid) ?? 0) - cpuBefore;
    const totals = load.takeTotals();
    const lags = totals.lagsMs.sort((a, b) => a - b);

    const range = `from=${startMs - 60_000}&to=${Date.now()}`;
    const mapMs = await medianQueryMs(`${collector.httpUrl}/api/v1/map?${range}`);
    const redMs = await medianQueryMs(`${collector.httpUrl}/api/v1/red?${range}&service=gateway`);
    const map = (await (await fetch(`${collector.httpUrl}/api/v1/map?${range}`)).json()) as {
      nodes: unknown[];
      edges: unknown[];
    };

    writeResults("scale", {
      agents: AGENTS,
      records_per_second_offered: Math.round(offered / loadSeconds),
      records_offered: offered,
      records_acknowledged: totals.recordsSent,
      // Still queued in the simulated agents when the drain ended: behind, not lost.
      records_unacknowledged_after_drain: offered - totals.recordsSent,
      records_per_second_stored: Math.round(totals.recordsSent / loadSeconds),
      series_stored: totals.seriesSent,
      batches_refused_busy: totals.batchesRefused,
      call_errors: totals.errors,
      ingest_lag_p50_ms: Math.round(quantile(lags, 0.5)),
      ingest_lag_p99_ms: Math.round(quantile(lags, 0.99)),
      collector_cores: Math.round((cpu / loadSeconds) * 100) / 100,
      map_nodes: map.nodes.length,
      map_edges: map.edges.length,
      map_query_ms: mapMs,
      red_query_ms: redMs,
    });
  } finally {
    await collector.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
