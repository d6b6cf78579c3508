// End to end: a real collector process (tsx packages/collector/src/server.ts)
// pushes collection config over ControlService to this agent-side client,
// which applies it through RuntimeControls (kernel writes recorded by a fake
// target) and acknowledges it; the collector's agents API shows the version.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CollectionConfigSchema, create } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_REDACTION_RULES, type RedactionRules } from "../records/redaction-rules.js";
import { type CollectorProcess, startCollectorProcess, until } from "../testing/collector-process.js";
import { CollectorControlStream, toRedactionRules, toRuntimeConfig } from "./collector-control-stream.js";
import { defaultRuntimeConfig, parseRuntimeConfig } from "./runtime-config.js";
import { RuntimeControls } from "./runtime-controls.js";

const ADMIN = "e2e-admin-token-0123456789abcdef";
const AGENT = "e2e-agent-token-0123456789abcdef";
const auth = { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" };

interface AgentsBody {
  agents: {
    agentId: string;
    config: { desiredVersion: number; appliedVersion: number; connected: boolean; unsupported: string[] };
  }[];
}

let collector: CollectorProcess;
let dataDir: string;
const kernelWrites: { captureBytes: readonly number[]; sampleEvery: number }[] = [];
const controls = new RuntimeControls({
  setControls: (written) =>
    kernelWrites.push({ captureBytes: written.captureBytes, sampleEvery: written.sampleEvery }),
  replaceFilter: () => {},
});
let stream: CollectorControlStream;
let redaction: RedactionRules = DEFAULT_REDACTION_RULES;

async function agentState() {
  const response = await fetch(`${collector.httpUrl}/api/v1/agents`, { headers: auth });
  const body = (await response.json()) as AgentsBody;
  return body.agents.find((agent) => agent.agentId === "agent-e2e")?.config;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "periscope-control-e2e-"));
  collector = await startCollectorProcess({
    PERISCOPE_DATA_DIR: dataDir,
    PERISCOPE_ADMIN_TOKEN: ADMIN,
    PERISCOPE_AGENT_TOKEN: AGENT,
  });
  await controls.apply(parseRuntimeConfig({ captureBytes: { default: 4096 } }));
  stream = new CollectorControlStream({
    address: collector.grpcAddress,
    agentId: "agent-e2e",
    controls,
    defaultCaptureBytes: 4096,
    token: AGENT,
    reconnectDelayMs: { initial: 100, max: 1000 },
    redaction: {
      base: DEFAULT_REDACTION_RULES,
      apply: (rules) => {
        redaction = rules;
      },
    },
    log: () => {},
  }).start();
}, 60_000);

afterAll(async () => {
  stream?.close();
  await collector?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("collection config over the control stream", () => {
  it("is applied without restart and its version shows in the agents API", async () => {
    await until(async () => ((await agentState())?.connected ? true : undefined));

    const put = await fetch(`${collector.httpUrl}/api/v1/agents/config`, {
      method: "PUT",
      headers: auth,
      body: JSON.stringify({
        disabledProtocols: ["redis"],
        captureBytes: 512,
        sampleOneIn: 4,
        includeNamespaces: ["shop"],
        redactFields: ["X-Session-Id"],
        redactSqlLiterals: true,
      }),
    });
    expect(put.status).toBe(200);
    const stored = (await put.json()) as { version: number; pushedTo: number; scope: string };
    expect(stored).toMatchObject({ scope: "*", pushedTo: 1 });

    const state = await until(async () => {
      const current = await agentState();
      return current?.appliedVersion === stored.version ? current : undefined;
    });
    expect(state).toEqual({
      desiredVersion: stored.version,
      appliedVersion: stored.version,
      connected: true,
      lastError: "",
      unsupported: ["include_namespaces"],
    });
    const running = controls.current().config;
    expect(running.protocols.redis).toBe(false);
    expect(running.protocols.http).toBe(true);
    expect(running.captureBytes.default).toBe(512);
    expect(running.sampling.keepOneIn).toBe(4);
    // What reached the (fake) kernel target: the cap for every syscall, 1 in 4 connections.
    expect(new Set(kernelWrites.at(-1)?.captureBytes)).toEqual(new Set([512]));
    expect(kernelWrites.at(-1)?.sampleEvery).toBe(4);
    expect(stream.appliedVersion).toBe(stored.version);
    // Redaction went to the pipeline's rules, on top of the defaults.
    expect(redaction.headers.has("x-session-id")).toBe(true);
    expect(redaction.headers.has("authorization")).toBe(true);
    expect(redaction.maskSqlLiterals).toBe(true);
  });

  it("lets one agent's config override the fleet's", async () => {
    const put = await fetch(`${collector.httpUrl}/api/v1/agents/agent-e2e/config`, {
      method: "PUT",
      headers: auth,
      body: JSON.stringify({ captureBytes: 1024 }),
    });
    const stored = (await put.json()) as { version: number };
    await until(async () => ((await agentState())?.appliedVersion === stored.version ? true : undefined));
    expect(controls.current().config.captureBytes.default).toBe(1024);
    expect(controls.current().config.protocols.redis).toBe(true);
    const read = await fetch(`${collector.httpUrl}/api/v1/agents/agent-e2e/config`, { headers: auth });
    expect(await read.json()).toMatchObject({
      scope: "agent-e2e",
      version: stored.version,
      config: { captureBytes: 1024 },
    });
  });

  it("refuses config changes without a token and invalid configs with a 400", async () => {
    const anonymous = await fetch(`${collector.httpUrl}/api/v1/agents/config`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(anonymous.status).toBe(401);
    const invalid = await fetch(`${collector.httpUrl}/api/v1/agents/config`, {
      method: "PUT",
      headers: auth,
      body: JSON.stringify({ disabledProtocols: ["gopher"], captureBytes: 1_000_000 }),
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { message: string } }).error.message).toMatch(
      /disabledProtocols/,
    );
  });
});

describe("toRuntimeConfig", () => {
  it("keeps the local pid filters and names what it cannot apply", () => {
    const current = { ...defaultRuntimeConfig(), pids: { include: [42], exclude: [] } };
    const wire = create(CollectionConfigSchema, { version: 3n, excludeNamespaces: ["kube-system"] });
    const { config, unsupported } = toRuntimeConfig(wire, current, 4096);
    expect(config.pids.include).toEqual([42]);
    expect(config.captureBytes.default).toBe(4096);
    expect(config.sampling.keepOneIn).toBe(1);
    expect(unsupported).toEqual(["exclude_namespaces"]);
  });
});

describe("toRedactionRules", () => {
  it("adds the collector's fields to the start-up rules and never removes one", () => {
    const wire = create(CollectionConfigSchema, { redactFields: ["Session"], redactSqlLiterals: false });
    const base = { ...DEFAULT_REDACTION_RULES, maskSqlLiterals: true };
    const rules = toRedactionRules(wire, base);
    expect(rules.headers.has("session")).toBe(true);
    expect(rules.queryParameters.has("session")).toBe(true);
    expect(rules.headers.has("cookie")).toBe(true);
    expect(rules.maskSqlLiterals).toBe(true);
  });
});
