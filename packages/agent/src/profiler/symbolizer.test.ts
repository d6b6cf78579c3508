// The symbolizer and the profiling loop over a /proc-shaped directory built
// from the named fixtures: no kernel needed.
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProcessNames } from "../metadata/process-names.js";
import { CELL_BYTES, FLAG_IDLE, FLAG_KTHREAD } from "./drain-layout.js";
import { type NativeProfilerLike, Profiler } from "./profiler.js";
import { InlineSymbolLoader, type SymbolLoader } from "./symbol-loader.js";
import { Symbolizer } from "./symbolizer.js";

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
const PID = 4242;
let procRoot: string;

function place(relative: string, from: string | Buffer): void {
  const path = join(procRoot, relative);
  mkdirSync(dirname(path), { recursive: true });
  if (typeof from === "string") copyFileSync(from, path);
  else writeFileSync(path, from);
}

beforeAll(() => {
  procRoot = mkdtempSync(join(tmpdir(), "periscope-symbolizer-"));
  place("kallsyms", fixture("kallsyms.txt"));
  place(`${PID}/maps`, fixture("proc-maps.txt"));
  place(`${PID}/root/usr/local/bin/hot-functions`, fixture("hot-functions.elf"));
  place(`${PID}/root/tmp/perf-${PID}.map`, fixture("node-perf.map"));
  // libc.so.6 is an ELF file cut short; the library "with space" was deleted (maps says so) and is absent.
  place(
    `${PID}/root/usr/lib/x86_64-linux-gnu/libc.so.6`,
    readFileSync(fixture("hot-functions.elf")).subarray(0, 200),
  );
});

afterAll(() => rmSync(procRoot, { recursive: true, force: true }));

describe("Symbolizer", () => {
  it("names ELF, JIT and kernel frames, and falls back to module+offset with the reason counted", () => {
    const symbolizer = new Symbolizer({ procRoot });
    symbolizer.beginDrain();
    const view = symbolizer.process(PID);
    expect(symbolizer.userFrame(view, 0x401030n)).toMatchObject({ name: "hot_spin", symbolized: true });
    expect(symbolizer.userFrame(view, 0x3ef0b0c4040n).name).toBe("JS:~spinHot file:///app/hot.js:3:17");
    expect(symbolizer.userFrame(view, 0x7f3a1c000100n)).toMatchObject({
      name: "libc.so.6+0x28100",
      symbolized: false,
    });
    expect(symbolizer.userFrame(view, 0x7f3a1c400010n)).toMatchObject({
      name: "lib with space.so+0x10",
      symbolized: false,
    });
    expect(symbolizer.userFrame(view, 0x10n)).toMatchObject({ name: "[unknown]", symbolized: false });
    expect(symbolizer.kernelFrame(0xffffffff81100210n)).toMatchObject({
      name: "__x64_sys_getpid",
      symbolized: true,
    });
    expect(symbolizer.skips.snapshot()).toMatchObject({
      elf_unreadable: 1,
      elf_truncated: 1,
      perf_map_malformed_line: 4,
    });
  });

  it("counts a process gone since the sample and names its frames [unknown]", () => {
    const symbolizer = new Symbolizer({ procRoot });
    const view = symbolizer.process(999_999);
    expect(symbolizer.userFrame(view, 0x401030n).name).toBe("[unknown]");
    expect(symbolizer.skips.get("maps_unreadable")).toBe(1);
  });
});

describe("Symbolizer across drains", () => {
  const CACHE_PID = 5151;
  const stat = (startTime: number, comm = "hot-functions") =>
    `${CACHE_PID} (${comm}) S 1 ${CACHE_PID} ${CACHE_PID} 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 ${startTime} 0 0\n`;

  beforeAll(() => {
    place(`${CACHE_PID}/root/usr/local/bin/hot-functions`, fixture("hot-functions.elf"));
  });

  it("reads a process's maps once while its pid is the same process, and again when it is not", () => {
    place(`${CACHE_PID}/maps`, fixture("proc-maps.txt"));
    place(`${CACHE_PID}/stat`, Buffer.from(stat(4242)));
    const symbolizer = new Symbolizer({ procRoot });
    symbolizer.beginDrain();
    const first = symbolizer.process(CACHE_PID);
    expect(first.fresh).toBe(true);
    expect(symbolizer.userFrame(first, 0x401030n).name).toBe("hot_spin");
    // The maps file changes under it (it would only if the process mapped something new):
    // the next drain neither reads it nor loses the names it has.
    place(`${CACHE_PID}/maps`, Buffer.from(""));
    symbolizer.beginDrain();
    const second = symbolizer.process(CACHE_PID);
    expect(second).toBe(first);
    expect(second.fresh).toBe(false);
    expect(symbolizer.userFrame(second, 0x401030n).name).toBe("hot_spin");
    // exec (same start time, another command) or a reused pid (another start time): read anew.
    place(`${CACHE_PID}/stat`, Buffer.from(stat(4242, "sh")));
    symbolizer.beginDrain();
    const execed = symbolizer.process(CACHE_PID);
    expect(execed.fresh).toBe(true);
    expect(symbolizer.userFrame(execed, 0x401030n).name).toBe("[unknown]");
    place(`${CACHE_PID}/maps`, fixture("proc-maps.txt"));
    place(`${CACHE_PID}/stat`, Buffer.from(stat(9999, "sh")));
    symbolizer.beginDrain();
    expect(symbolizer.userFrame(symbolizer.process(CACHE_PID), 0x401030n).name).toBe("hot_spin");
  });

  it("re-reads the maps for an address outside them, at most every third drain", () => {
    place(`${CACHE_PID}/maps`, Buffer.from(""));
    place(`${CACHE_PID}/stat`, Buffer.from(stat(777)));
    const symbolizer = new Symbolizer({ procRoot });
    symbolizer.beginDrain();
    const view = symbolizer.process(CACHE_PID);
    expect(symbolizer.userFrame(view, 0x401030n).name).toBe("[unknown]");
    // The library is mapped now (dlopen); garbage addresses must not re-read maps every drain.
    place(`${CACHE_PID}/maps`, fixture("proc-maps.txt"));
    symbolizer.beginDrain();
    expect(symbolizer.userFrame(symbolizer.process(CACHE_PID), 0x401030n).name).toBe("[unknown]");
    symbolizer.beginDrain();
    symbolizer.beginDrain();
    expect(symbolizer.userFrame(symbolizer.process(CACHE_PID), 0x401030n).name).toBe("hot_spin");
  });

  it("never waits for a symbol file: a load not answered yet names the frame by offset, counted once per drain", () => {
    place(`${CACHE_PID}/maps`, fixture("proc-maps.txt"));
    place(`${CACHE_PID}/stat`, Buffer.from(stat(888)));
    const answers: Array<() => void> = [];
    const inline = new InlineSymbolLoader();
    const slow: SymbolLoader = {
      get pending() {
        return answers.length;
      },
      loadFile: (request, done) => answers.push(() => inline.loadFile(request, done)),
      loadKernel: (path, done) => inline.loadKernel(path, done),
      close: () => {},
    };
    const symbolizer = new Symbolizer({ procRoot, loader: slow });
    symbolizer.beginDrain();
    const view = symbolizer.process(CACHE_PID);
    expect(symbolizer.userFrame(view, 0x401030n)).toMatchObject({
      name: "hot-functions+0x1030",
      symbolized: false,
    });
    expect(symbolizer.userFrame(view, 0x401031n).symbolized).toBe(false);
    expect(symbolizer.pendingLoads()).toBe(1);
    expect(symbolizer.skips.get("symbols_pending")).toBe(1);
    for (const answer of answers.splice(0)) answer();
    symbolizer.beginDrain();
    expect(symbolizer.userFrame(symbolizer.process(CACHE_PID), 0x401030n)).toMatchObject({
      name: "hot_spin",
      symbolized: true,
    });
  });
});

/** Packs cells and stacks as NativeProfiler.drain() returns them. */
function drainOf(
  cells: Array<{
    tid: number;
    pid: number;
    user: number;
    kernel: number;
    count: number;
    comm: string;
    flags: number;
  }>,
  stacks: Record<number, bigint[]>,
) {
  const cellBuffer = Buffer.alloc(cells.length * CELL_BYTES);
  cells.forEach((cell, i) => {
    const at = i * CELL_BYTES;
    cellBuffer.writeUInt32LE(cell.tid, at);
    cellBuffer.writeUInt32LE(cell.pid, at + 4);
    cellBuffer.writeInt32LE(cell.user, at + 8);
    cellBuffer.writeInt32LE(cell.kernel, at + 12);
    cellBuffer.writeBigUInt64LE(BigInt(cell.count), at + 16);
    cellBuffer.write(cell.comm, at + 24);
    cellBuffer.writeUInt32LE(cell.flags, at + 40);
  });
  const parts = Object.entries(stacks).map(([id, addresses]) => {
    const part = Buffer.alloc(8 + addresses.length * 8);
    part.writeInt32LE(Number(id), 0);
    part.writeUInt32LE(addresses.length, 4);
    addresses.forEach((address, i) => {
      part.writeBigUInt64LE(address, 8 + i * 8);
    });
    return part;
  });
  return { cells: cellBuffer, stacks: Buffer.concat(parts), missingStacks: 0 };
}

describe("Profiler.collect", () => {
  const drains: ReturnType<typeof drainOf>[] = [];
  const native: NativeProfilerLike = {
    drain: () => drains.shift() ?? drainOf([], {}),
    setRate: () => {},
    rate: () => 97,
    readDropCounters: () => ({ countsFull: 0n, userCollision: 0n, kernelCollision: 0n, userFault: 0n }),
    close: () => {},
  };
  const names = () => new ProcessNames(16, (pid) => (pid === PID ? "hot-functions" : undefined));

  it("builds root-first frames, labels idle, kernel threads and shallow stacks, and sends each stack once", () => {
    const profiler = new Profiler(native, new Symbolizer({ procRoot }), {
      intervalMs: 3_600_000,
      deliver: () => {},
      processNames: names,
      containerIdOf: (pid) => (pid === PID ? "c0ffee" : ""),
    });
    const cells = [
      // hot_spin ← _start ← hot-functions+… three user frames, then the kernel below them.
      { tid: PID, pid: PID, user: 1, kernel: 2, count: 7, comm: "hot-functions", flags: 0 },
      { tid: PID + 1, pid: PID, user: 1, kernel: 2, count: 3, comm: "worker", flags: 0 },
      { tid: PID, pid: PID, user: 3, kernel: -1, count: 2, comm: "hot-functions", flags: 0 },
      { tid: 0, pid: 0, user: -1, kernel: 4, count: 5, comm: "swapper/0", flags: FLAG_IDLE },
      { tid: 9, pid: 9, user: -1, kernel: 4, count: 1, comm: "kworker/0:1", flags: FLAG_KTHREAD },
    ];
    const stacks = {
      1: [0x401030n, 0x401055n, 0x401010n],
      2: [0xffffffff81100210n, 0xffffffff81100010n],
      3: [0x3ef0b0c4040n],
      4: [0xffffffff81300150n, 0xffffffff81300050n],
    };
    drains.push(drainOf(cells, stacks));
    const profile = profiler.collect();
    const frames = new Map(profile?.stacks.map((stack) => [stack.hash, stack.frames]));
    const samples = (profile?.samples ?? []).map((s) => ({
      pid: s.pid,
      process: s.process,
      service: s.service,
      samples: Number(s.samples),
      frames: frames.get(s.stackHash),
    }));
    expect(samples).toEqual([
      {
        pid: PID,
        process: "hot-functions",
        service: "hot-functions",
        // Two threads of one process, one stack: one row.
        samples: 10,
        frames: ["cold_helper", "_start", "hot_spin", "do_syscall_64 [k]", "__x64_sys_getpid [k]"],
      },
      {
        pid: PID,
        process: "hot-functions",
        service: "hot-functions",
        samples: 2,
        frames: ["[no frame pointers]", "JS:~spinHot file:///app/hot.js:3:17"],
      },
      {
        pid: 0,
        process: "[idle]",
        service: "[idle]",
        samples: 5,
        frames: ["[idle]", "arch_cpu_idle [k]", "default_idle [k]"],
      },
      {
        pid: 9,
        process: "kworker/0:1",
        service: "[kernel]",
        samples: 1,
        frames: ["[kernel thread]", "arch_cpu_idle [k]", "default_idle [k]"],
      },
    ]);
    expect(profile?.rateHz).toBe(97);
    expect(profile?.samples.map((s) => s.containerId)).toEqual(["c0ffee", "c0ffee", "", ""]);
    // The same stacks in the next interval: counted again, not sent again.
    drains.push(drainOf(cells, stacks));
    const next = profiler.collect();
    expect(next?.stacks).toEqual([]);
    expect(next?.samples).toHaveLength(4);
    expect(profiler.symbolizedShare()).toBe(1);
    expect(profiler.stats()).toMatchObject({ rateHz: 97, samples: 36, symbolizedShare: 1, stacksSent: 4 });
    profiler.stop();
  });

  it("builds a stack once while the process's maps, perf map and files are as they were", () => {
    const pid = 6161;
    place(`${pid}/maps`, fixture("proc-maps.txt"));
    place(
      `${pid}/stat`,
      Buffer.from(`${pid} (hot) S 1 ${pid} ${pid} 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 555 0 0\n`),
    );
    place(`${pid}/root/usr/local/bin/hot-functions`, fixture("hot-functions.elf"));
    place(`${pid}/root/tmp/perf-${pid}.map`, fixture("node-perf.map"));
    const symbolizer = new Symbolizer({ procRoot });
    let asked = 0;
    const userFrame = symbolizer.userFrame.bind(symbolizer);
    symbolizer.userFrame = (view, address) => {
      asked++;
      return userFrame(view, address);
    };
    const profiler = new Profiler(native, symbolizer, {
      intervalMs: 3_600_000,
      deliver: () => {},
      processNames: () => new ProcessNames(16, () => "hot"),
      containerIdOf: () => "",
    });
    const cells = [
      { tid: pid, pid, user: 1, kernel: 2, count: 4, comm: "hot", flags: 0 },
      { tid: pid, pid, user: 3, kernel: -1, count: 1, comm: "hot", flags: 0 },
    ];
    const stacks = {
      1: [0x401030n, 0x401055n, 0x401010n],
      2: [0xffffffff81100210n],
      3: [0x3ef0b0c4040n, 0x401055n, 0x401010n],
    };
    drains.push(drainOf(cells, stacks));
    const first = profiler.collect();
    expect(asked).toBe(6);
    asked = 0;
    // Next interval, the kernel numbers its stacks anew: the same addresses under other ids.
    drains.push(
      drainOf(
        [
          { ...(cells[0] as (typeof cells)[0]), user: 7, kernel: 8 },
          { ...(cells[1] as (typeof cells)[0]), user: 9 },
        ],
        { 7: stacks[1], 8: stacks[2], 9: stacks[3] },
      ),
    );
    const second = profiler.collect();
    // Nothing changed (maps, perf map, files): neither stack is named again.
    expect(asked).toBe(0);
    expect(second?.samples.map((s) => s.stackHash)).toEqual(first?.samples.map((s) => s.stackHash));
    // V8 logs new and moved code by appending to the perf map: the process's stacks are named again
    // (file-backed frames from the names kept, JIT frames from the grown map).
    appendFileSync(
      join(procRoot, `${pid}/root/tmp/perf-${pid}.map`),
      "\n3ef0b0c4040 40 JS:*moved file:///app/hot.js:9:1\n", // the fixture ends mid-line
    );
    drains.push(drainOf(cells, stacks));
    const third = profiler.collect();
    expect(asked).toBe(6);
    const frames = new Map(third?.stacks.map((stack) => [stack.hash, stack.frames]));
    expect([...frames.values()].flat()).toContain("JS:*moved file:///app/hot.js:9:1");
    profiler.stop();
  });
});
