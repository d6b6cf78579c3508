import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ProcessInfoCache } from "./process-info.js";

const CONTAINER = "3f1b8c5e2a9d4f6071b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718";

/** A /proc-shaped directory: the files ProcessInfoCache reads, with real contents' shapes. */
function fakeProc(): string {
  const root = mkdtempSync(join(tmpdir(), "periscope-proc-"));
  writeFileSync(join(root, "stat"), "cpu  1 2 3\nbtime 1700000000\nprocesses 9\n");
  const add = (pid: number, comm: string, startTicks: number, cgroup: string) => {
    const dir = join(root, String(pid));
    mkdirSync(dir);
    // A comm with spaces and parentheses: the stat line must be parsed from the last ')'.
    const fields = [
      "S",
      "1",
      String(pid),
      "0",
      "-1",
      "4194560",
      ...Array(13).fill("0"),
      String(startTicks),
      "0",
    ];
    writeFileSync(join(dir, "stat"), `${pid} (${comm}) ${fields.join(" ")}\n`);
    writeFileSync(join(dir, "comm"), `${comm}\n`);
    writeFileSync(join(dir, "cmdline"), "node\0--max-old-space-size=512\0server.js\0");
    writeFileSync(join(dir, "cgroup"), `1:name=systemd:/x\n0::${cgroup}\n`);
    symlinkSync("/usr/bin/node", join(dir, "exe"));
  };
  add(100, "web (main) x", 12345, `/system.slice/docker-${CONTAINER}.scope`);
  add(200, "plain", 500, "/user.slice/session-1.scope");
  add(300, "third", 600, "/");
  return root;
}

describe("ProcessInfoCache", () => {
  const root = fakeProc();
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reads command line, executable, start time, cgroup and container once per process", () => {
    const cache = new ProcessInfoCache({ maxProcesses: 10, procRoot: root });
    expect(cache.get(100)).toEqual({
      pid: 100,
      startTimeMs: 1_700_000_000_000 + 123_450,
      comm: "web (main) x",
      cmdline: "node --max-old-space-size=512 server.js",
      exe: "/usr/bin/node",
      cgroupPath: `/system.slice/docker-${CONTAINER}.scope`,
      containerId: CONTAINER,
    });
    expect(cache.get(200)?.containerId).toBe("");
    cache.get(100);
    expect(cache.counters.read).toBe(2);
    expect(cache.get(999)).toBeUndefined();
  });

  it("holds at most maxProcesses, evicting the least recently used", () => {
    const cache = new ProcessInfoCache({ maxProcesses: 2, procRoot: root });
    cache.get(100);
    cache.get(200);
    cache.get(100);
    cache.get(300);
    expect(cache.size).toBe(2);
    expect(cache.counters.evicted).toBe(1);
    cache.get(100);
    expect(cache.counters.read).toBe(3); // 200 was the one evicted, 100 stayed
  });

  it("peeks at a cached process without reading /proc or moving it in the LRU order", () => {
    const cache = new ProcessInfoCache({ maxProcesses: 2, procRoot: root });
    expect(cache.peek(100)).toBeUndefined();
    expect(cache.counters.read).toBe(0);
    cache.get(100);
    cache.get(200);
    expect(cache.peek(100)?.containerId).toBe(CONTAINER);
    cache.get(300);
    // 100 stayed the least recently used despite the peek: it is the one evicted.
    expect(cache.peek(100)).toBeUndefined();
    expect(cache.peek(200)?.pid).toBe(200);
  });

  it("forgets a process once it exited, on the real /proc", async () => {
    const cache = new ProcessInfoCache({ maxProcesses: 10 });
    const child = spawn("sleep", ["30"]);
    const pid = child.pid ?? -1;
    await new Promise((resolve) => child.once("spawn", resolve));
    expect(cache.get(pid)).toMatchObject({ pid, exe: expect.stringMatching(/sleep$/), cmdline: "sleep 30" });
    expect(cache.get(process.pid)?.startTimeMs).toBeLessThanOrEqual(Date.now());
    cache.sweep();
    expect(cache.size).toBe(2);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    cache.sweep();
    expect(cache.size).toBe(1);
    expect(cache.counters.exited).toBe(1);
  });
});
