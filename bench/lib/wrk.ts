// Runs wrk (Debian's) against a URL and reads its summary: requests/s, the
// total count, and the p99 latency from --latency's distribution.
// wrk is started through a shell that waits for a line on stdin and then
// execs it (same pid), so a caller can act on wrk's pid (exclude it from
// tracing) before wrk opens its first connection.
import { spawn } from "node:child_process";

export interface WrkResult {
  requests: number;
  requestsPerSecond: number;
  p99Ms: number;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function toMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) throw new Error(`wrk: cannot read latency "${text}"`);
  return Number(match[1]) * (UNIT_MS[match[2] ?? "ms"] ?? 1);
}

/**
 * Asynchronous, so the bench's own event loop (the agent's gRPC sink) keeps
 * running. `beforeLoad` gets wrk's pid before wrk starts; the load begins
 * once it resolves.
 */
export async function runWrk(
  url: string,
  seconds: number,
  connections: number,
  beforeLoad?: (pid: number) => Promise<void>,
): Promise<WrkResult> {
  const args = ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", url];
  const child = spawn("sh", ["-c", 'read -r _ && exec wrk "$@"', "wrk", ...args], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", resolve);
  });
  try {
    if (child.pid === undefined) throw new Error("wrk: could not start sh");
    await beforeLoad?.(child.pid);
    child.stdin.end("go\n");
  } catch (error) {
    child.kill();
    await exited.catch(() => undefined);
    throw error;
  }
  const code = await exited;
  if (code !== 0) throw new Error(`wrk failed (${code}): ${err}`);
  const total = /(\d+) requests in/.exec(out);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p99 = /\s99%\s+([\d.]+\w+)/.exec(out);
  if (!total || !rps || !p99) throw new Error(`wrk: unexpected output:\n${out}`);
  if (/Non-2xx or 3xx responses/.test(out)) throw new Error(`wrk: the server answered errors:\n${out}`);
  return { requests: Number(total[1]), requestsPerSecond: Number(rps[1]), p99Ms: toMs(p99[1] ?? "0ms") };
}
