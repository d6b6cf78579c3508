// docker-compose.yml as a user runs it on one host: Debian's podman-compose starts the
// collector (embedded engine on a volume), the UI and the agent from the images `make
// images` built; the agent records traffic between two host processes; `down -v` stops
// and removes everything. Published on free ports (PERISCOPE_*_PORT), under its own
// project name, so a stack the developer runs is left alone.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bothSidesOf, connectedAgents } from "./collector-api.js";
import { startHostTraffic } from "./host-traffic.js";
import { freePort, logsOf, podman, run, waitFor } from "./podman.js";

const project = `periscope-compose-${process.pid}`;
const tokens = {
  PERISCOPE_ADMIN_TOKEN: randomBytes(24).toString("hex"),
  PERISCOPE_UI_TOKEN: randomBytes(24).toString("hex"),
  PERISCOPE_AGENT_TOKEN: randomBytes(24).toString("hex"),
};
let collectorUrl = "";
let uiUrl = "";

/** podman-compose on this project, with the test's tokens and ports in its environment. */
let composeEnv: Record<string, string> = {};
function compose(...args: string[]): string {
  const [global, rest] = args[0]?.startsWith("--podman") ? [[args[0]], args.slice(1)] : [[], args];
  return run("podman-compose", ["-p", project, "-f", "docker-compose.yml", ...global, ...rest], {
    timeoutMs: 300_000,
    env: composeEnv,
  });
}

const containerOf = (service: string) => `${project}_${service}_1`;
const projectContainers = () =>
  podman("ps", "--all", "--filter", `label=io.podman.compose.project=${project}`, "--format", "{{.Names}}")
    .split("\n")
    .filter(Boolean);

beforeAll(async () => {
  const [httpPort, grpcPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  composeEnv = {
    ...tokens,
    PERISCOPE_HTTP_PORT: String(httpPort),
    PERISCOPE_GRPC_PORT: String(grpcPort),
    PERISCOPE_UI_PORT: String(uiPort),
    PERISCOPE_AGENT_ID: project,
  };
  collectorUrl = `http://127.0.0.1:${httpPort}`;
  uiUrl = `http://127.0.0.1:${uiPort}`;
  // Debian 12's podman-compose (1.0.3) has no `pid:` support and would start the agent in
  // a pid namespace of its own, so the agent is started apart with the flag passed through,
  // as the README tells podman users to (docker compose reads `pid: host` itself).
  compose("up", "-d", "--no-build", "collector", "ui");
  compose("--podman-run-args=--pid=host", "up", "-d", "--no-build", "agent");
});

afterAll(() => {
  // Only if a test failed before its own `down`: nothing of this project may outlive it.
  if (projectContainers().length > 0) {
    compose("down", "-v");
    podman("network", "rm", `${project}_default`);
  }
});

describe("docker-compose.yml under podman-compose", () => {
  it("serves the collector's API and the UI", async () => {
    const health = await waitFor("the collector's /api/v1/health", async () => {
      const response = await fetch(`${collectorUrl}/api/v1/health`);
      return response.ok ? response.json() : undefined;
    }).catch((error) => {
      throw new Error(`${error.message}\n${logsOf(containerOf("collector"))}`);
    });
    expect(health).toEqual({ status: "ok" });
    const viaUi = await waitFor("the UI's /api/v1/health", async () => {
      const response = await fetch(`${uiUrl}/api/v1/health`);
      return response.ok ? response.json() : undefined;
    }).catch((error) => {
      throw new Error(`${error.message}\n${logsOf(containerOf("ui"))}`);
    });
    expect(viaUi).toEqual({ status: "ok" });
    const page = await fetch(`${uiUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Periscope");
  });

  it("stores into the embedded engine on the collector-data volume", () => {
    const mounts = podman(
      "inspect",
      "--format",
      "{{range .Mounts}}{{.Name}}:{{.Destination}} {{end}}",
      containerOf("collector"),
    );
    expect(mounts).toContain(`${project}_collector-data:/var/lib/periscope`);
    const environment = podman(
      "inspect",
      "--format",
      "{{range .Config.Env}}{{println .}}{{end}}",
      containerOf("collector"),
    );
    expect(environment).toMatch(/^PERISCOPE_STORAGE_URL=$/m);
  });

  it("runs the agent privileged in the host's pid namespace", () => {
    const mode = podman(
      "inspect",
      "--format",
      "{{.HostConfig.PidMode}} {{.HostConfig.Privileged}}",
      containerOf("agent"),
    );
    expect(mode.trim()).toBe("host true");
  });

  it("records traffic between two processes on the host", async () => {
    const failWithLog = (error: Error) => {
      throw new Error(`${error.message}\nagent log:\n${logsOf(containerOf("agent"))}`);
    };
    await waitFor("the agent to connect to the collector", async () =>
      (await connectedAgents(collectorUrl, tokens.PERISCOPE_ADMIN_TOKEN)).includes(project)
        ? true
        : undefined,
    ).catch(failWithLog);
    const traffic = await startHostTraffic(await freePort(), "compose-test");
    try {
      const sides = await waitFor("both sides of the host traffic in the collector", () =>
        bothSidesOf(collectorUrl, tokens.PERISCOPE_ADMIN_TOKEN, traffic),
      ).catch(failWithLog);
      expect(sides.server.agentId).toBe(project);
      expect(sides.server.server.processName).toBe("node");
    } finally {
      await traffic.stop();
    }
  });

  it("stops, removing its containers and volumes", () => {
    compose("down", "-v");
    // podman-compose 1.0.3 leaves the project's network behind.
    podman("network", "rm", `${project}_default`);
    expect(projectContainers()).toEqual([]);
    const volumes = podman("volume", "ls", "--format", "{{.Name}}").split("\n");
    expect(volumes.filter((name) => name.startsWith(`${project}_`))).toEqual([]);
  });
});
