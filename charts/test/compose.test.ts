import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { chartDir, render } from "./helm.js";
import { findObject, parseManifests, soleContainer } from "./manifests.js";

// docker-compose.yml runs the chart's stack on one host. No Docker engine runs here, so
// these checks read the file: it must parse, reference images that can be built, and
// agree with the chart on ports, wiring and commands. Where docker-compose is installed,
// its own `config` checks the file and the variables.

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  privileged?: boolean;
  pid?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: unknown };
}

const compose = parse(readFileSync(join(repoRoot, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;
const chartValues = parse(readFileSync(join(chartDir, "values.yaml"), "utf8"));
const chartObjects = parseManifests(render());

/** The variable a `${NAME:?message}` value requires; undefined for anything else (a literal, a default). */
function requiredVariable(value: string | undefined): string | undefined {
  return /^\$\{([A-Z_][A-Z0-9_]*):\?[^}]+\}$/.exec(value ?? "")?.[1];
}

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function dockerfileOf(definition: ComposeService): string | undefined {
  if (!definition.build) return undefined;
  const build = typeof definition.build === "string" ? { context: definition.build } : definition.build;
  return join(repoRoot, build.context ?? ".", build.dockerfile ?? "Dockerfile");
}

/** Container side of "host:container" port mappings. */
function containerPorts(definition: ComposeService): number[] {
  return (definition.ports ?? []).map((mapping) => Number(mapping.split(":").at(-1)));
}

/** The exec-form CMD of a Dockerfile's final stage. */
function finalCommand(dockerfile: string): string[] {
  const commands = readFileSync(dockerfile, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("CMD "));
  return JSON.parse(commands.at(-1)?.slice(4) ?? "null");
}

describe("docker-compose.yml", () => {
  it("runs the chart's three components", () => {
    expect(Object.keys(services).sort()).toEqual(["agent", "collector", "ui"]);
  });

  it.each(Object.keys(services))("service %s has an image or a Dockerfile that exists", (name) => {
    const definition = service(name);
    const dockerfile = dockerfileOf(definition);
    expect(definition.image ?? dockerfile).toBeTruthy();
    if (dockerfile) expect(existsSync(dockerfile), `${dockerfile} is missing`).toBe(true);
  });

  it("writes every healthcheck as a list of strings", () => {
    // An unquoted ": " inside a command silently turns that item into a YAML map.
    for (const definition of Object.values(services)) {
      const test = definition.healthcheck?.test;
      if (test === undefined) continue;
      expect(Array.isArray(test) && test.every((part) => typeof part === "string")).toBe(true);
    }
  });

  it("only depends on services it defines", () => {
    for (const definition of Object.values(services)) {
      for (const dependency of Object.keys(definition.depends_on ?? {}))
        expect(services).toHaveProperty(dependency);
    }
  });

  it("runs the agent privileged in the host's pid namespace with BTF, tracefs, /proc and its spool mounted", () => {
    const agent = service("agent");
    expect(agent.privileged).toBe(true);
    expect(agent.pid).toBe("host");
    expect(agent.volumes).toEqual([
      "/sys/kernel/btf:/sys/kernel/btf:ro",
      "/sys/kernel/tracing:/sys/kernel/tracing",
      "/proc:/host/proc:ro",
      "agent-spool:/var/lib/periscope/spool",
    ]);
    expect(agent.environment?.PERISCOPE_SPOOL_DIR).toBe("/var/lib/periscope/spool");
  });

  it("uses the chart's default ports", () => {
    const { grpcPort, httpPort } = chartValues.collector.service;
    const uiPort = chartValues.ui.service.port;
    expect(containerPorts(service("collector")).sort()).toEqual([grpcPort, httpPort].sort());
    expect(containerPorts(service("ui"))).toEqual([uiPort]);
    expect(service("collector").environment).toMatchObject({
      PERISCOPE_GRPC_ADDR: `0.0.0.0:${grpcPort}`,
      PERISCOPE_HTTP_PORT: String(httpPort),
    });
    expect(service("ui").environment).toMatchObject({
      PORT: String(uiPort),
      PERISCOPE_API_URL: `http://collector:${httpPort}`,
    });
    expect(service("agent").environment?.PERISCOPE_COLLECTOR_ADDR).toBe(`collector:${grpcPort}`);
  });

  it("stores with the embedded engine in the chart's data directory, as the chart does by default", () => {
    const { mode, embedded } = chartValues.storage;
    expect(mode).toBe("embedded");
    expect(service("collector").environment).toMatchObject({
      PERISCOPE_STORAGE_URL: "",
      PERISCOPE_DATA_DIR: embedded.dataDir,
    });
    expect(service("collector").volumes?.map((volume) => volume.split(":")[1])).toContain(embedded.dataDir);
  });

  it.each([
    ["agent", "DaemonSet", "periscope-agent"],
    ["collector", "StatefulSet", "periscope-collector"],
    ["ui", "Deployment", "periscope-ui"],
  ])("builds the %s image to start the command the chart runs", (name, kind, objectName) => {
    const dockerfile = dockerfileOf(service(name)) ?? "";
    const chartCommand = soleContainer(findObject(chartObjects, kind, objectName)).command;
    expect(finalCommand(dockerfile)).toEqual(chartCommand);
    expect(dirname(dockerfile)).toBe(join(repoRoot, "deploy", "docker"));
  });

  it("requires the three tokens from the user, with no default, and gives the UI the editor one", () => {
    const variableOf = (name: string, env: string) => {
      const variable = requiredVariable(service(name).environment?.[env]);
      expect(variable, `${name} ${env} must be \${VAR:?message}`).toBeDefined();
      return variable;
    };
    expect(variableOf("collector", "PERISCOPE_ADMIN_TOKEN")).toBe("PERISCOPE_ADMIN_TOKEN");
    expect(variableOf("collector", "PERISCOPE_UI_TOKEN")).toBe("PERISCOPE_UI_TOKEN");
    expect(variableOf("ui", "PERISCOPE_API_TOKEN")).toBe("PERISCOPE_UI_TOKEN");
    expect(variableOf("collector", "PERISCOPE_AGENT_TOKEN")).toBe("PERISCOPE_AGENT_TOKEN");
    expect(variableOf("agent", "PERISCOPE_AGENT_TOKEN")).toBe("PERISCOPE_AGENT_TOKEN");
  });
});

// docker-compose 1.29 is the oldest client users run; it rejects keys newer clients accept.
// `make test` installs it (scripts/setup/system.sh), so in CI this never skips; a bare
// `vitest run` on a machine without it skips with the reason in the name.
const hasDockerCompose = spawnSync("docker-compose", ["version"], { encoding: "utf8" }).status === 0;
const mustRun = process.env.CI === "true";

describe.skipIf(!hasDockerCompose && !mustRun)("docker-compose config (needs docker-compose)", () => {
  // An empty env file, and the environment without PERISCOPE_*, so a developer's .env or
  // shell cannot change the outcome.
  const emptyEnvFile = join(mkdtempSync(join(tmpdir(), "periscope-compose-")), "empty.env");
  writeFileSync(emptyEnvFile, "");
  const baseEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("PERISCOPE_")),
  );
  const tokens = {
    PERISCOPE_ADMIN_TOKEN: "compose-admin-token-0123456789",
    PERISCOPE_UI_TOKEN: "compose-ui-token-0123456789",
    PERISCOPE_AGENT_TOKEN: "compose-agent-token-0123456789",
  };
  const config = (env: Record<string, string>) =>
    spawnSync(
      "docker-compose",
      ["--env-file", emptyEnvFile, "-f", join(repoRoot, "docker-compose.yml"), "config"],
      { encoding: "utf8", cwd: repoRoot, env: { ...baseEnv, ...env } },
    );

  it("accepts the file with the tokens set and passes them to each component", () => {
    const result = config(tokens);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const resolved = parse(result.stdout).services as Record<string, ComposeService>;
    expect(resolved.collector?.environment).toMatchObject(tokens);
    expect(resolved.ui?.environment?.PERISCOPE_API_TOKEN).toBe(tokens.PERISCOPE_UI_TOKEN);
    expect(resolved.agent?.environment?.PERISCOPE_AGENT_TOKEN).toBe(tokens.PERISCOPE_AGENT_TOKEN);
  });

  it.each(Object.keys(tokens))("refuses the file without %s and says what to set", (missing) => {
    const env = Object.fromEntries(Object.entries(tokens).filter(([name]) => name !== missing));
    const result = config(env);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`set ${missing} (16+ characters`);
  });
});
