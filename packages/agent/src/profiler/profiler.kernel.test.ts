// The profiler on the real kernel: a C program's hot function by its ELF
// symbol (also when it runs from a file only its own mount namespace sees),
// a Node function by its JIT name from the perf map, kernel frames by their
// kallsyms names, and the sample count following the rate set at run time.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProfileSamples } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRoot, requireRootInCi } from "../capture/fixtures/kernel-processes.js";
import type { Profiler } from "./profiler.js";
import { startProfiler } from "./start-profiler.js";

requireRootInCi("profiler.kernel.test.ts");

/** hot_c_spin burns CPU three calls deep; between bursts, getppid() in a loop keeps it in the kernel too. */
const C_PROGRAM = `
#include <stdio.h>
#include <unistd.h>
volatile unsigned long sink;
__attribute__((noinline)) void hot_c_spin(void) {
  for (unsigned long i = 0; i < 20000000UL; i++) sink += i * 7;
}
__attribute__((noinline)) void syscall_loop(void) {
  for (int i = 0; i < 200000; i++) sink += getppid();
}
__attribute__((noinline)) void run_workload(void) {
  for (;;) { hot_c_spin(); syscall_loop(); }
}
int main(void) { printf("ready\\n"); fflush(stdout); run_workload(); return 0; }
`;

/** spinHotJs burns CPU in JavaScript; the perf map names its JIT code. */
const NODE_PROGRAM = `
function spinHotJs(n) { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i ^ x); return x; }
function loop() { spinHotJs(5e6); setImmediate(loop); }
console.log("ready"); loop();
`;

interface Seen {
  pid: number;
  process: string;
  frames: string[];
  samples: number;
}

function flatten(profiles: ProfileSamples[]): Seen[] {
  const frames = new Map<bigint, string[]>();
  for (const profile of profiles) for (const stack of profile.stacks) frames.set(stack.hash, stack.frames);
  return profiles.flatMap((profile) =>
    profile.samples.map((sample) => ({
      pid: sample.pid,
      process: sample.process,
      frames: frames.get(sample.stackHash) ?? [],
      samples: Number(sample.samples),
    })),
  );
}

function startReady(command: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${command} exited early with ${code}`)));
    child.stdout?.once("data", () => resolve(child));
  });
}

describe.skipIf(!isRoot)("CPU profiler on the real kernel (root only; skipped otherwise outside CI)", () => {
  let dir: string;
  let profiler: Profiler;
  const profiles: ProfileSamples[] = [];
  const children: ChildProcess[] = [];
  let cPid = 0;
  let nsPid = 0;
  let nodePid = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "periscope-profile-"));
    writeFileSync(join(dir, "hot.c"), C_PROGRAM);
    execFileSync("cc", ["-O0", "-fno-omit-frame-pointer", "-o", join(dir, "hot-c"), join(dir, "hot.c")]);
    profiler = startProfiler({
      config: { hz: 499, intervalMs: 60_000 },
      deliver: (profile) => profiles.push(profile),
    });
    // kallsyms is read on the symbol worker from the start; kernel frames are named once it is in.
    await profiler.symbolizer.loadKernelSymbols();
    const c = await startReady(join(dir, "hot-c"), []);
    children.push(c);
    cPid = c.pid ?? 0;
    // The same program from a tmpfs mounted in a private mount namespace: its
    // path exists only there, so only /proc/PID/root reaches the file.
    const ns = await startReady("unshare", [
      "--mount",
      "--propagation",
      "private",
      "sh",
      "-c",
      `mkdir -p /mnt/periscope-ns && mount -t tmpfs none /mnt/periscope-ns && cp ${join(dir, "hot-c")} /mnt/periscope-ns/ns-hot && exec /mnt/periscope-ns/ns-hot`,
    ]);
    children.push(ns);
    nsPid = ns.pid ?? 0;
    const node = await startReady(process.execPath, [
      "--perf-basic-prof-only-functions",
      "--interpreted-frames-native-stack",
      "-e",
      NODE_PROGRAM,
    ]);
    children.push(node);
    nodePid = node.pid ?? 0;
    // Drained every second: a drain asks the symbol worker for files it has not read and names
    // their frames module+offset until the answer is in, so the first intervals may lack names.
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const profile = profiler.collect();
      if (profile) profiles.push(profile);
    }
  }, 30_000);

  afterAll(() => {
    for (const child of children) child.kill("SIGKILL");
    profiler?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("names the C program's hot function by its ELF symbol, with its callers", () => {
    const stacks = flatten(profiles).filter((s) => s.pid === cPid);
    const hot = stacks.filter((s) => s.frames.includes("hot_c_spin"));
    expect(hot.length, JSON.stringify(stacks.slice(0, 5))).toBeGreaterThan(0);
    const frames = hot[0]?.frames ?? [];
    expect(frames.indexOf("main")).toBeGreaterThanOrEqual(0);
    expect(frames.indexOf("run_workload")).toBeGreaterThan(frames.indexOf("main"));
    expect(frames.indexOf("hot_c_spin")).toBeGreaterThan(frames.indexOf("run_workload"));
    expect(hot[0]?.process).toBe("hot-c");
    // Read by the symbol worker thread, not the inline fallback.
    expect(profiler.symbolizer.skips.get("symbol_worker_failed")).toBe(0);
  });

  it("resolves a binary that only the process's own mount namespace sees", () => {
    const stacks = flatten(profiles).filter((s) => s.pid === nsPid);
    expect(
      stacks.some((s) => s.frames.includes("hot_c_spin")),
      JSON.stringify(stacks.slice(0, 5)),
    ).toBe(true);
  });

  it("names the Node function from the perf map", () => {
    const stacks = flatten(profiles).filter((s) => s.pid === nodePid);
    expect(
      stacks.some((s) => s.frames.some((frame) => frame.includes("spinHotJs"))),
      JSON.stringify(stacks.slice(0, 5)),
    ).toBe(true);
  });

  it("gives kernel frames their kallsyms names, the syscall entry among them", () => {
    // libc's getppid() wrapper keeps no frame pointer, so its caller syscall_loop is skipped in these stacks.
    const stacks = flatten(profiles).filter((s) => s.pid === cPid && s.frames.includes("getppid"));
    const kernel = stacks.flatMap((s) => s.frames.filter((f) => f.endsWith(" [k]")));
    expect(kernel.length, JSON.stringify(stacks.slice(0, 3))).toBeGreaterThan(0);
    expect(kernel.some((f) => /sys_getppid/.test(f))).toBe(true);
    expect(kernel.every((f) => !f.startsWith("[kernel 0x"))).toBe(true);
  });

  it("labels idle CPUs and kernel threads instead of dropping them", () => {
    const all = flatten(profiles);
    for (const s of all.filter((s) => s.pid === 0)) expect(s.frames[0]).toBe("[idle]");
    // Which one a busy machine shows varies; some kernel thread (rcu, kworker, ksoftirqd) always runs in 4 s.
    const labelled = all.filter((s) => s.frames[0] === "[idle]" || s.frames[0] === "[kernel thread]");
    expect(labelled.length).toBeGreaterThan(0);
    expect(labelled.every((s) => s.frames.slice(1).every((f) => f.endsWith(" [k]")))).toBe(true);
  });

  it("follows the rate set at run time: off takes nothing, 4× the rate takes about 4× the samples", async () => {
    const total = (profile: ProfileSamples | undefined) =>
      (profile?.samples ?? []).reduce((sum, sample) => sum + Number(sample.samples), 0);
    const window = async () => {
      profiler.collect(); // start from empty maps
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return total(profiler.collect());
    };
    profiler.setRate(0);
    expect(await window()).toBe(0);
    profiler.setRate(49);
    const low = await window();
    profiler.setRate(199);
    const high = await window();
    // Software CPU-clock events fire on busy and idle CPUs alike: about rate × CPUs × seconds.
    expect(low).toBeGreaterThan(0);
    expect(high / low).toBeGreaterThan(2.5);
    expect(high / low).toBeLessThan(6.5);
  }, 20_000);
});
