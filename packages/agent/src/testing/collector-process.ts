// Test support: a real collector process (tsx packages/collector/src/server.ts)
// on ephemeral ports with the embedded engine, for tests of the agent's
// channels against the collector as operators run it.
import { type ChildProcess, spawn } from "node:child_process";
import { constants as osConstants } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export interface CollectorProcess {
  /** As the collector printed it: http:// or https://. */
  httpUrl: string;
  grpcAddress: string;
  /** SIGTERM, resolved once it exited. */
  stop(): Promise<void>;
  /**
   * Resolves with how it ended: the signal's name, or "exit <code>". tsx runs
   * the server in a child and exits 128 + n when that child dies of signal n:
   * that is reported as the signal too.
   */
  exited: Promise<string>;
}

function signalName(number: number): string | undefined {
  return Object.entries(osConstants.signals).find(([, value]) => value === number)?.[0];
}

/** Polls until probe gives a value; the test's own timeout bounds it. */
export async function until<T>(probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts the collector with env (PERISCOPE_DATA_DIR at least) and waits for the addresses it announces. */
export async function startCollectorProcess(
  env: Record<string, string>,
  startupTimeoutMs = 50_000,
): Promise<CollectorProcess> {
  const collector: ChildProcess = spawn(
    join(repoRoot, "node_modules/.bin/tsx"),
    ["packages/collector/src/server.ts"],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PERISCOPE_HTTP_PORT: "0",
        PERISCOPE_GRPC_ADDR: "127.0.0.1:0",
        PERISCOPE_STORAGE_URL: "",
        PERISCOPE_LOG_LEVEL: "error",
        ...env,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<string>((resolve) =>
    collector.once("exit", (code, signal) => {
      const relayed = code !== null && code > 128 ? signalName(code - 128) : undefined;
      resolve(signal ?? relayed ?? `exit ${code}`);
    }),
  );
  let output = "";
  collector.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const stop = async () => {
    if (collector.exitCode !== null || collector.signalCode !== null) return;
    const exited = new Promise((resolve) => collector.once("exit", resolve));
    collector.kill("SIGTERM");
    await exited;
  };
  // A collector that never announces itself is stopped, not left behind the test.
  const deadline = Date.now() + startupTimeoutMs;
  const match = await until(() => {
    if (Date.now() > deadline) return null;
    return /periscope collector: http (\S+) grpc (\S+)/.exec(output) ?? undefined;
  });
  if (match === null) {
    await stop();
    throw new Error(`the collector did not announce its addresses in ${startupTimeoutMs} ms: ${output}`);
  }
  return { httpUrl: match[1] as string, grpcAddress: match[2] as string, stop, exited };
}
