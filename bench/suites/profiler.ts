// The CPU profiler's cost and yield at 97 Hz while both CPUs are busy: the
// agent-side CPU (this process runs only the profiler: drain, symbolize,
// build the interval) from /proc/self/stat over a minute, the kernel-side
// cost of the BPF program (kernel.bpf_stats_enabled), the size of the symbol
// caches, and the share of frames symbolised: over every process on the
// machine (stripped binaries and Node without a perf map resolve to
// module+offset) and over the workload's own processes. The minute starts
// once the symbol worker has read what the running processes map (warm-up:
// kallsyms and every library's symbols, a one-time cost per file, reported
// apart as warmUpCpuMs); files first seen during the minute (other processes
// start all the time on a shared machine) are read inside it and counted.
// Root only (perf events, BPF).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { ProfileSamples } from "@periscope/proto";
import { DEFAULT_PROFILE_INTERVAL_MS } from "../../packages/agent/src/profiler/profile-config.js";
import { startProfiler } from "../../packages/agent/src/profiler/start-profiler.js";
import { measureBpfPrograms } from "../lib/bpf-program-stats.js";
import { writeResults } from "../lib/results.js";

const HZ = 97;
const SYNTHETIC = new Set(["[idle]", "[kernel thread]", "[no frame pointers]", "[user stack lost]"]);
const UNRESOLVED = /\+0x[0-9a-f]+$|^\[unknown\]$|^\[kernel 0x/;
const WINDOW_MS = 60_000;
// The agent's own drain interval unless told otherwise (an A/B of the interval).
const INTERVAL_MS = Number(process.env.BENCH_PROFILE_INTERVAL_MS ?? DEFAULT_PROFILE_INTERVAL_MS);
/** USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

if (process.getuid?.() !== 0) {
  console.error("bench profiler: needs root (perf events and BPF)");
  process.exit(1);
}

const C_SPIN = `
volatile unsigned long sink;
__attribute__((noinline)) void bench_spin(void) { for (unsigned long i = 0; i < 50000000UL; i++) sink += i; }
int main(void) { for (;;) bench_spin(); }
`;
const NODE_SPIN = `
function benchSpinJs(n) { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i ^ x); return x; }
function loop() { benchSpinJs(5e6); setImmediate(loop); }
loop();
`;

/** utime + stime of this process in seconds, as /proc/self/stat counts them. */
function selfCpuSeconds(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  // Fields after the parenthesised comm: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const dir = mkdtempSync(join(tmpdir(), "periscope-bench-profiler-"));
const children: ChildProcess[] = [];
try {
  writeFileSync(join(dir, "spin.c"), C_SPIN);
  execFileSync("cc", ["-O0", "-fno-omit-frame-pointer", "-o", join(dir, "bench-spin"), join(dir, "spin.c")]);
  writeFileSync(join(dir, "bench-spin.js"), NODE_SPIN);
  // One busy process per CPU: half native, half JIT.
  for (let i = 0; i < cpus().length; i++) {
    children.push(
      i % 2 === 0
        ? spawn(join(dir, "bench-spin"), [], { stdio: "ignore" })
        : spawn(process.execPath, ["--perf-basic-prof-only-functions", join(dir, "bench-spin.js")], {
            stdio: "ignore",
          }),
    );
  }
  await sleep(2000);

  let intervals = 0;
  // Frames of the workload's own processes (whose files have symbols and whose Node writes a perf map).
  const workload = new Set(children.map((child) => child.pid));
  const workloadFrames = { all: 0, symbolized: 0 };
  let inWindow = false;
  // A stack is sent once (then by hash): keep every one, warm-up's too.
  const frames = new Map<bigint, string[]>();
  const deliver = (profile: ProfileSamples) => {
    intervals++;
    for (const stack of profile.stacks) frames.set(stack.hash, stack.frames);
    // The share is the warm agent's: intervals of the measured minute only.
    if (!inWindow) return;
    for (const sample of profile.samples) {
      if (!workload.has(sample.pid)) continue;
      for (const frame of frames.get(sample.stackHash) ?? []) {
        if (SYNTHETIC.has(frame)) continue;
        workloadFrames.all += Number(sample.samples);
        if (!UNRESOLVED.test(frame)) workloadFrames.symbolized += Number(sample.samples);
      }
    }
  };
  const heapBefore = process.memoryUsage().heapUsed;
  const warmUpCpuStart = selfCpuSeconds();
  const warmUpStart = performance.now();
  const profiler = startProfiler({ config: { hz: HZ, intervalMs: INTERVAL_MS }, deliver });
  // The first drain asks the symbol worker for every mapped file; a few more drains pick up
  // what those answers named, until nothing is left to read (one-time, reported apart).
  await sleep(2000);
  profiler.report();
  const coldDrainMs = profiler.counters.lastDrainMs;
  for (let quiet = 0, round = 0; quiet < 2 && round < 30; round++) {
    await sleep(2000);
    profiler.report();
    quiet = profiler.symbolizer.pendingLoads() === 0 ? quiet + 1 : 0;
  }
  const warmUpMs = performance.now() - warmUpStart;
  const warmUpCpuMs = (selfCpuSeconds() - warmUpCpuStart) * 1000;
  const skipsBefore = profiler.symbolizer.skips.snapshot();
  const loadsBefore = profiler.symbolizer.fileLoads();
  let drainMsInWindow = 0;
  let maxDrainMs = 0;
  inWindow = true;
  const { result, costs } = await measureBpfPrograms(async () => {
    const cpuStart = selfCpuSeconds();
    const usageStart = process.cpuUsage();
    let drainsSeen = profiler.counters.drains;
    const drainWatch = setInterval(() => {
      if (profiler.counters.drains === drainsSeen) return;
      drainsSeen = profiler.counters.drains;
      maxDrainMs = Math.max(maxDrainMs, profiler.counters.lastDrainMs);
      drainMsInWindow += profiler.counters.lastDrainMs;
    }, 200);
    await sleep(WINDOW_MS);
    clearInterval(drainWatch);
    const usage = process.cpuUsage(usageStart);
    return { procStat: selfCpuSeconds() - cpuStart, getrusage: (usage.user + usage.system) / 1e6 };
  });
  inWindow = false;
  profiler.stop();
  // The same process with the profiler stopped: what Node costs doing nothing (timers, GC), not subtracted above.
  const idleStart = selfCpuSeconds();
  await sleep(15_000);
  const idleCpuPerSecond = (selfCpuSeconds() - idleStart) / 15;
  const program = costs.filter((cost) => cost.name === "profile_sample");
  const runs = program.reduce((sum, cost) => sum + cost.runs, 0);
  const kernelNs = program.reduce((sum, cost) => sum + cost.totalNs, 0);
  const caches = profiler.symbolizer.cacheSizes();
  const loadsAfter = profiler.symbolizer.fileLoads();
  const skipsAfter = profiler.symbolizer.skips.snapshot();
  const skippedInWindow = Object.fromEntries(
    Object.entries(skipsAfter)
      .map(([reason, n]) => [reason, n - (skipsBefore[reason] ?? 0)])
      .filter(([, n]) => (n as number) > 0),
  );
  const percentOfOneCore = (seconds: number) => round3((seconds / (WINDOW_MS / 1000)) * 100);
  console.log(`slowest symbol file: ${profiler.symbolizer.slowestFileRead().path}`);
  writeResults("profiler", {
    agentCpuPercentOfOneCore: percentOfOneCore(result.procStat),
    agentCpuPercentOfOneCoreGetrusage: percentOfOneCore(result.getrusage),
    hz: HZ,
    coldDrainMs: Math.round(coldDrainMs),
    warmUpMs: Math.round(warmUpMs),
    warmUpCpuMs: Math.round(warmUpCpuMs),
    workloadSymbolizedShare: round3(workloadFrames.symbolized / Math.max(1, workloadFrames.all)),
    cpus: cpus().length,
    windowSeconds: WINDOW_MS / 1000,
    idleNodeCpuPercent: round3(idleCpuPerSecond * 100),
    intervals,
    samples: profiler.counters.samples,
    symbolizedShare: round3(profiler.symbolizedShare()),
    maxDrainMs: Math.round(maxDrainMs * 10) / 10,
    // Where the minute's CPU went: drains on the event loop (wall time, so an upper bound on a
    // loaded machine), and symbol files first seen in the minute, read on the worker thread.
    drainMsInWindow: Math.round(drainMsInWindow),
    symbolFilesReadInWindow: loadsAfter.count - loadsBefore.count,
    symbolFileReadMsInWindow: Math.round(loadsAfter.ms - loadsBefore.ms),
    bpfRunsPerSecond: Math.round(runs / (WINDOW_MS / 1000)),
    bpfNsPerRun: runs === 0 ? 0 : Math.round(kernelNs / runs),
    bpfCpuPercentOfOneCore: round3((kernelNs / 1e9 / (WINDOW_MS / 1000)) * 100),
    cacheKernelSymbols: caches.kernelSymbols,
    cacheFileSymbols: caches.fileSymbols,
    cacheFiles: caches.files,
    cacheDebugFiles: caches.debugFiles,
    cacheProcesses: caches.processes,
    cacheFrameNames: caches.frameNames,
    cachePerfMapEntries: caches.perfMapEntries,
    heapGrowthMiB: Math.round(((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20) * 10) / 10,
    slowestFileReadMs: Math.round(profiler.symbolizer.slowestFileRead().ms),
    slowestFileSymbols: profiler.symbolizer.slowestFileRead().symbols,
    skipped: skipsAfter,
    skippedInWindow,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  });
} finally {
  for (const child of children) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
}
