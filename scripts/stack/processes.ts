// Child processes of the local stack: spawned with prefixed logs, waited on for
// readiness, and stopped in order with a bounded grace period.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** The last 64 KiB the process printed (bounded: the stack may run for days). */
  recentOutput(): string;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Where the process's stdout/stderr go: a file in logDir, and the console when echo is set. */
  logDir: string;
  echo: boolean;
}

export function spawnManaged(options: SpawnOptions): ManagedProcess {
  mkdirSync(options.logDir, { recursive: true });
  const log = createWriteStream(path.join(options.logDir, `${options.name}.log`), { flags: "a" });
  const child = spawn(options.command, options.args, {
    // Its own process group: a Ctrl-C in the terminal reaches only the stack,
    // which then stops the children in order (the agent flushes to a collector
    // that is still up).
    detached: true,
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let recent = "";
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk: Buffer) => {
      log.write(chunk);
      recent = (recent + chunk.toString("utf8")).slice(-65_536);
      if (options.echo) {
        for (const line of chunk.toString("utf8").split("\n")) {
          if (line) process.stdout.write(`[${options.name}] ${line}\n`);
        }
      }
    });
  }
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => {
      log.end();
      resolve(code ?? signal ?? "unknown");
    });
    child.on("error", (error) => {
      log.end(`spawn failed: ${error.message}\n`);
      resolve(`spawn failed: ${error.message}`);
    });
  });
  return { name: options.name, child, exited, recentOutput: () => recent };
}

/** Polls `check` until it returns true; fails early if the process dies. */
export async function waitUntil(
  what: string,
  proc: ManagedProcess | undefined,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  let died: number | string | undefined;
  void proc?.exited.then((code) => {
    died = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (died !== undefined) throw new Error(`${proc?.name} exited (${died}) before ${what}`);
    if (await check().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return response.ok;
}

/** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone. */
export async function stopManaged(proc: ManagedProcess, graceMs = 10_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill("SIGTERM");
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), graceMs);
  await proc.exited;
  clearTimeout(timer);
}
