// The collector's cost in steady state (make bench-collector-steady): the real
// collector process (packages/collector/dist/server.js, embedded engine) on a
// fresh data directory, fed by simulated agents through its gRPC ingest at a
// fixed record rate (bench/lib/steady-agents.ts: the exporter's 1 s / 512
// record flushes, 4 calls in flight, 5 s metric series). For each rate in
// BENCH_STEADY_RATES (default 200, 1,000 and 5,000 records/s), after
// BENCH_STEADY_WARMUP_SECONDS (default 60) it measures BENCH_STEADY_SECONDS
// (default 120):
//   - CPU of the collector process, in cores, and per thread name from
//     /proc/PID/task: the engine's threads are the ones ClickHouse names
//     (MergeMutate, BgSchPool, …); inserts and queries run on threads named
//     after the process (node's libuv workers call into the engine), so the
//     engine's share is at least the named threads';
//   - inserts/s, rows per insert, parts written/s, merges/s and merge time
//     from the collector's own /api/v1/stats (what an operator sees);
//   - ingest lag: a batch's acknowledgement comes once it is stored, and a
//     stored row is queryable, so acknowledgement time − the batch's oldest
//     record time is record time → queryable (p50/p99 over batches; it
//     includes the agent's up-to-1 s batching).
// Nobody reads the data in these runs, so inserts linger
// PERISCOPE_INGEST_IDLE_LINGER_MS (5 s). For each rate in
// BENCH_STEADY_WATCHED_RATES (default 1,000) it measures again with a reader
// as the UI would be one: the newest 50 requests and the map every 5 s, which
// shortens the linger to PERISCOPE_INGEST_LINGER_MS (1 s) — the cost of
// someone looking, queries included.
// Run with PERISCOPE_INGEST_LINGER_MS=0 (or other PERISCOPE_* variables) to
// measure the collector configured otherwise; the settings are recorded.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cpuSeconds, cpuSecondsByThread, spawnCollector } from "../lib/collector-process.js";
import { writeResults } from "../lib/results.js";
import { SteadyLoad } from "../lib/steady-agents.js";

const RATES = (process.env.BENCH_STEADY_RATES ?? "200,1000,5000").split(",").map(Number);
const SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 120);
const WARMUP_SECONDS = Number(process.env.BENCH_STEADY_WARMUP_SECONDS ?? 60);
const AGENTS = Number(process.env.BENCH_STEADY_AGENTS ?? 8);
const WATCHED_RATES = (process.env.BENCH_STEADY_WATCHED_RATES ?? "1000")
  .split(",")
  .filter(Boolean)
  .map(Number);
const READ_EVERY_MS = 5_000;
// Threads node and the collector run (the main thread takes process.title);
// every other name is one the engine gave its own threads.
const NODE_THREAD = /^(node|periscope-|libuv|V8 |DelayedTaskSche|SignalInspector)/;

interface StorageStats {
  ingest: { insertStatements: number; insertRows: number; recordsStored: number };
  storage: {
    engine: { partsWritten: number; merges: number; partsMerged: number; mergeMilliseconds: number };
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

function quantile(values: number[], q: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

async function stats(httpUrl: string): Promise<StorageStats> {
  const response = await fetch(`${httpUrl}/api/v1/stats`);
  if (!response.ok) throw new Error(`/api/v1/stats: HTTP ${response.status}`);
  return (await response.json()) as StorageStats;
}

/** Reads what the UI's request list and map would, every READ_EVERY_MS, until stopped. */
function startReader(httpUrl: string): () => void {
  const read = () => {
    const to = Date.now();
    const range = `from=${to - 15 * 60_000}&to=${to}`;
    for (const path of [`/api/v1/requests?limit=50&${range}`, `/api/v1/map?${range}`])
      void fetch(`${httpUrl}${path}`).then(
        (response) => response.arrayBuffer(),
        () => undefined,
      );
  };
  read();
  const timer = setInterval(read, READ_EVERY_MS);
  return () => clearInterval(timer);
}

async function measureRate(recordsPerSecond: number, watched = false): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "periscope-bench-steady-"));
  const collector = await spawnCollector(dataDir);
  const pid = collector.child.pid;
  const load = new SteadyLoad(collector.grpcAddress, recordsPerSecond, AGENTS);
  const stopReader = watched ? startReader(collector.httpUrl) : () => {};
  try {
    await sleep(WARMUP_SECONDS * 1000);
    load.takeTotals();
    const cpuBefore = cpuSecondsByThread(pid);
    const totalBefore = cpuSeconds(pid) ?? 0;
    const ownBefore = process.cpuUsage();
    const statsBefore = await stats(collector.httpUrl);
    const began = performance.now();
    await sleep(SECONDS * 1000);
    const seconds = (performance.now() - began) / 1000;
    const statsAfter = await stats(collector.httpUrl);
    const totalAfter = cpuSeconds(pid) ?? 0;
    const cpuAfter = cpuSecondsByThread(pid);
    const own = process.cpuUsage(ownBefore);
    const sent = load.takeTotals();

    const threads: Record<string, number> = {};
    let engineNamed = 0;
    for (const [name, after] of cpuAfter) {
      const cores = (after - (cpuBefore.get(name) ?? 0)) / seconds;
      threads[name] = round(cores, 4);
      if (!NODE_THREAD.test(name)) engineNamed += cores;
    }
    const delta = (pick: (s: StorageStats) => number) => pick(statsAfter) - pick(statsBefore);
    const inserts = delta((s) => s.ingest.insertStatements);
    const figures = {
      records_per_s: round(sent.recordsSent / seconds, 1),
      series_per_s: round(sent.seriesSent / seconds, 1),
      cpu_cores: round((totalAfter - totalBefore) / seconds, 4),
      cpu_us_per_record: round(((totalAfter - totalBefore) * 1e6) / Math.max(1, sent.recordsSent), 1),
      engine_threads_cpu_cores: round(engineNamed, 4),
      inserts_per_s: round(inserts / seconds),
      rows_per_insert: round(delta((s) => s.ingest.insertRows) / Math.max(1, inserts), 1),
      parts_written_per_s: round(delta((s) => s.storage.engine.partsWritten) / seconds),
      merges_per_s: round(delta((s) => s.storage.engine.merges) / seconds),
      merge_seconds_per_s: round(delta((s) => s.storage.engine.mergeMilliseconds) / 1000 / seconds),
      lag_p50_ms: Math.round(quantile(sent.lagsMs, 0.5)),
      lag_p99_ms: Math.round(quantile(sent.lagsMs, 0.99)),
      batches_refused: sent.batchesRefused,
      batch_errors: sent.errors,
      load_generator_cpu_cores: round((own.user + own.system) / 1e6 / seconds, 4),
    };
    console.log(
      `${recordsPerSecond} records/s${watched ? ", watched" : ""}:`,
      JSON.stringify(figures),
      JSON.stringify(threads),
    );
    return { ...figures, ...prefixed("thread_cores.", threads) };
  } finally {
    stopReader();
    load.stop();
    await collector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [`${prefix}${key}`, value]));
}

const results: Record<string, Record<string, number>> = {};
for (const rate of RATES) results[`at_${rate}_per_s`] = await measureRate(rate);
for (const rate of WATCHED_RATES) results[`at_${rate}_per_s_watched`] = await measureRate(rate, true);
writeResults("collector-steady", {
  ...results,
  seconds: SECONDS,
  warmup_seconds: WARMUP_SECONDS,
  agents: AGENTS,
  settings: Object.fromEntries(
    Object.entries(process.env)
      .filter(([key]) => key.startsWith("PERISCOPE_INGEST_") || key.startsWith("PERISCOPE_ENGINE_"))
      .map(([key, value]) => [key, Number(value)]),
  ),
});
