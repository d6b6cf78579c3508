// The demo workload's part of the stack: the nine demo servers and the load
// generator (demo/src/topology.ts lists them), run as the future profiler
// needs them, and stopped with the rest.
import { rmSync } from "node:fs";
import net from "node:net";
import { DEMO_PORT_COUNT, DEMO_SERVICES, type DemoService, titleOf } from "../../demo/src/topology.js";
import { httpOk, type ManagedProcess, waitUntil } from "./processes.js";

/**
 * V8 writes /tmp/perf-PID.map (JIT code address → JavaScript function name) for
 * perf-style profilers; with only-functions it skips the stubs, and
 * interpreted-frames-native-stack gives interpreted functions a native frame of
 * their own so a stack walk sees them (https://nodejs.org/en/learn/diagnostics/poor-performance/using-linux-perf).
 */
export const DEMO_NODE_FLAGS = ["--perf-basic-prof-only-functions", "--interpreted-frames-native-stack"];

/** The local servers the demo uses (scripts/setup/services.sh starts them; user/password/db periscope). */
const DEMO_DEPENDENCIES = [
  { name: "PostgreSQL", port: 5432 },
  { name: "Redis", port: 6379 },
] as const;

export type SpawnNode = (name: string, nodeArgs: string[], env: Record<string, string>) => ManagedProcess;

/** Starts the demo; resolves with the frontend's URL, where /checkout starts the traced chain. */
export async function startDemo(spawnNode: SpawnNode, basePort: number): Promise<{ url: string }> {
  for (const dependency of DEMO_DEPENDENCIES) {
    if (!(await tcpOpen(dependency.port))) {
      throw new Error(
        `the demo uses ${dependency.name} on 127.0.0.1:${dependency.port}, which is not listening: run \`bash scripts/setup/services.sh\``,
      );
    }
  }
  if (basePort + DEMO_PORT_COUNT - 1 > 65535)
    throw new Error(`demo base port ${basePort} leaves too few ports`);
  const start = (service: DemoService) =>
    spawnNode(titleOf(service).replace("/", "-"), [...DEMO_NODE_FLAGS, `demo/dist/${service.script}`], {
      DEMO_BASE_PORT: String(basePort),
      // OpenTelemetry's resource variables (service.name, service.namespace): how a
      // host process states its namespace; see demo/README.md for what reads them.
      OTEL_SERVICE_NAME: service.name,
      OTEL_RESOURCE_ATTRIBUTES: `service.namespace=${service.namespace}`,
    });
  const servers = DEMO_SERVICES.filter((service) => "portOffset" in service).map((service) => ({
    service,
    proc: start(service),
  }));
  await Promise.all(
    servers.map(({ service, proc }) =>
      waitUntil(
        `${titleOf(service)} to listen`,
        proc,
        async () => /listening on/.test(proc.recentOutput()),
        30_000,
      ),
    ),
  );
  const url = `http://127.0.0.1:${basePort}`;
  const frontend = servers[0]?.proc;
  await waitUntil("the demo frontend", frontend, () => httpOk(`${url}/health`), 15_000);
  for (const client of DEMO_SERVICES.filter((service) => !("portOffset" in service))) start(client);
  return { url };
}

/** After the stack stopped: the demo's perf maps name dead processes' code and would only fill /tmp. */
export function removePerfMaps(processes: readonly ManagedProcess[]): void {
  for (const proc of processes) {
    if (proc.child.pid !== undefined) rmSync(`/tmp/perf-${proc.child.pid}.map`, { force: true });
  }
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(2_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}
