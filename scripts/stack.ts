// The whole Periscope stack on one host: collector (embedded ClickHouse), agent,
// UI, and optionally the demo workload. `make demo` runs this file; the e2e
// tests import startStack from it, so both exercise the same wiring.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { removePerfMaps, startDemo } from "./stack/demo.js";
import { httpOk, type ManagedProcess, spawnManaged, stopManaged, waitUntil } from "./stack/processes.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface StackOptions {
  uiPort?: number;
  httpPort?: number;
  grpcPort?: number;
  /** Embedded ClickHouse data directory. */
  dataDir?: string;
  withDemo?: boolean;
  /** First of the demo's nine consecutive ports (demo/src/topology.ts); the frontend takes it. */
  demoBasePort?: number;
  /** Echo every child's output to this console, prefixed with its name. */
  echo?: boolean;
  logDir?: string;
}

export interface RunningStack {
  uiUrl: string;
  apiUrl: string;
  /** Admin token of this run's collector API, for the operator (the UI never holds it). */
  apiToken: string;
  /** Editor token the UI's server sends with what it proxies (PERISCOPE_UI_TOKEN). */
  uiToken: string;
  demoUrl: string | undefined;
  stop(): Promise<void>;
}

const builtArtifacts = [
  "packages/collector/dist/server.js",
  "packages/agent/dist/main.js",
  "packages/agent/build/Release/periscope_native.node",
  "bpf/build/socket_trace.bpf.o",
  "packages/ui/.next/standalone/packages/ui/server.js",
  "demo/dist/frontend.js",
  "demo/dist/loadgen.js",
];

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const missing = builtArtifacts.filter((file) => !existsSync(path.join(repoRoot, file)));
  if (missing.length > 0) throw new Error(`not built: ${missing.join(", ")} (run \`make build\`)`);
  if (process.getuid?.() !== 0) {
    throw new Error("the agent loads eBPF programs and must run as root: run the stack with sudo");
  }

  const uiPort = options.uiPort ?? 3000;
  const httpPort = options.httpPort ?? 8080;
  const grpcPort = options.grpcPort ?? 4770;
  const demoBasePort = options.demoBasePort ?? 3100;
  const apiUrl = `http://127.0.0.1:${httpPort}`;
  const uiUrl = `http://127.0.0.1:${uiPort}`;
  // Fresh tokens per run: the API is authenticated as in production. The admin
  // token is the operator's; the UI's server gets an editor token (links and
  // agent config, never tokens) and adds it to what it proxies, so whoever can
  // open the UI is not an admin. The browser holds neither.
  const apiToken = `psk_${randomBytes(24).toString("base64url")}`;
  const uiToken = `psk_${randomBytes(24).toString("base64url")}`;
  // Likewise the agent proves itself to the collector's gRPC side with a token.
  const agentToken = `pat_${randomBytes(24).toString("base64url")}`;
  const common = {
    cwd: repoRoot,
    logDir: options.logDir ?? path.join(repoRoot, ".periscope", "logs"),
    echo: options.echo ?? false,
  };
  const started: ManagedProcess[] = [];
  const nodeWith = (name: string, args: string[], env: Record<string, string>) => {
    const proc = spawnManaged({ ...common, name, command: process.execPath, args, env });
    started.push(proc);
    return proc;
  };
  const node = (name: string, script: string, env: Record<string, string>) => nodeWith(name, [script], env);
  const stop = async () => {
    for (const proc of started.reverse()) await stopManaged(proc);
    removePerfMaps(started);
  };

  try {
    const collector = node("collector", "packages/collector/dist/server.js", {
      PERISCOPE_HTTP_HOST: "127.0.0.1",
      PERISCOPE_HTTP_PORT: String(httpPort),
      PERISCOPE_GRPC_ADDR: `127.0.0.1:${grpcPort}`,
      // Request-per-line logging would bury the other processes' output here.
      PERISCOPE_LOG_LEVEL: process.env.PERISCOPE_LOG_LEVEL ?? "warn",
      PERISCOPE_DATA_DIR: options.dataDir ?? path.join(repoRoot, ".periscope", "data"),
      PERISCOPE_ADMIN_TOKEN: apiToken,
      PERISCOPE_UI_TOKEN: uiToken,
      PERISCOPE_AGENT_TOKEN: agentToken,
    });
    await waitUntil(
      "the collector's health check",
      collector,
      () => httpOk(`${apiUrl}/api/v1/health`),
      60_000,
    );

    const agent = node("agent", "packages/agent/dist/main.js", {
      PERISCOPE_COLLECTOR_ADDR: `127.0.0.1:${grpcPort}`,
      PERISCOPE_AGENT_TOKEN: agentToken,
      // Batches the collector has not acknowledged survive a restart of either (packages/agent/README.md).
      PERISCOPE_SPOOL_DIR: path.join(repoRoot, ".periscope", "agent-spool"),
    });
    await waitUntil("the agent to attach", agent, async () => /tracing/.test(agent.recentOutput()), 30_000);

    const ui = node("ui", "packages/ui/.next/standalone/packages/ui/server.js", {
      HOSTNAME: "127.0.0.1",
      PORT: String(uiPort),
      PERISCOPE_API_URL: apiUrl,
      PERISCOPE_API_TOKEN: uiToken,
      NEXT_TELEMETRY_DISABLED: "1",
    });
    await waitUntil("the UI", ui, () => httpOk(uiUrl), 30_000);

    let demoUrl: string | undefined;
    if (options.withDemo ?? true) {
      demoUrl = (await startDemo(nodeWith, demoBasePort)).url;
    }
    return { uiUrl, apiUrl, apiToken, uiToken, demoUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function main(): Promise<void> {
  const stack = await startStack({ echo: process.env.PERISCOPE_QUIET !== "1" });
  console.log(`\nPeriscope is running.\n  UI:   ${stack.uiUrl}\n  API:  ${stack.apiUrl}/api/v1/map`);
  console.log(`  API token (admin, this run only): ${stack.apiToken}  (Authorization: Bearer …)`);
  console.log(`  Demo: ${stack.demoUrl}/checkout\nPress Ctrl-C to stop.\n`);
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping Periscope…");
    void stack.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`periscope: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
