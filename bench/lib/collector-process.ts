// The collector as its own process (packages/collector/dist/server.js), as in
// production: the bench's own load generation and HTTP timing never share its
// event loop. CPU time is read from /proc, the whole process and per thread
// (the embedded engine's merge threads are named by ClickHouse).
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// BENCH_COLLECTOR_SERVER_JS runs another build (an A/B of a change) in the same harness.
const SERVER_JS =
  process.env.BENCH_COLLECTOR_SERVER_JS ??
  fileURLToPath(new URL("../../packages/collector/dist/server.js", import.meta.url));
const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface CollectorProcess {
  httpUrl: string;
  grpcAddress: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a collector on `dataDir` (embedded engine), on ephemeral ports, without auth (loopback only).
 * BENCH_COLLECTOR_PROFILE=<dir> writes its CPU profile there.
 */
export function spawnCollector(dataDir: string, env: Record<string, string> = {}): Promise<CollectorProcess> {
  const profile = process.env.BENCH_COLLECTOR_PROFILE;
  const nodeArgs = profile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profile}`];
  const child = spawn(process.execPath, [...nodeArgs, SERVER_JS], {
    env: {
      ...process.env,
      PERISCOPE_DATA_DIR: dataDir,
      PERISCOPE_STORAGE_URL: "",
      PERISCOPE_HTTP_PORT: "0",
      PERISCOPE_GRPC_ADDR: "127.0.0.1:0",
      PERISCOPE_LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /periscope collector: http (\S+) grpc (\S+)/.exec(output);
      if (match?.[1] !== undefined && match[2] !== undefined)
        resolve({ httpUrl: match[1], grpcAddress: match[2], child, stop });
    });
    child.once("exit", (code) => reject(new Error(`collector exited (${code}) before listening: ${output}`)));
  });
}

/** User + system CPU seconds of a process (all threads), or of one thread. */
export function cpuSeconds(pid: number | undefined, tid?: number): number | undefined {
  try {
    const file = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
    const fields = readFileSync(file, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** CPU seconds per thread name (comm) of a process, summed over threads sharing a name. */
export function cpuSecondsByThread(pid: number | undefined): Map<string, number> {
  const byName = new Map<string, number>();
  if (pid === undefined) return byName;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName;
  }
  for (const tid of tids) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      byName.set(name, (byName.get(name) ?? 0) + (cpuSeconds(pid, Number(tid)) ?? 0));
    } catch {
      // the thread ended between listing and reading
    }
  }
  return byName;
}
