// The agent's two channels (Exporter and CollectorControlStream) against a real
// collector process (tsx packages/collector/src/server.ts) that requires an agent
// token and serves gRPC and HTTPS with a throwaway self-signed certificate.
// The agent side is built the way main.ts builds it: loadConfig → collectorCredentials.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { get as httpsGet } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentInfoSchema, create, RequestRecordSchema, Side } from "@periscope/proto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { CollectorControlStream } from "../control/collector-control-stream.js";
import { parseRuntimeConfig } from "../control/runtime-config.js";
import { RuntimeControls } from "../control/runtime-controls.js";
import { type CollectorProcess, startCollectorProcess, until } from "../testing/collector-process.js";
import { collectorCredentials } from "./collector-credentials.js";
import { Exporter } from "./exporter.js";

const ADMIN = "tls-admin-token-0123456789abcdef";
const AGENT = "tls-agent-token-0123456789abcdef";
const WRONG = "not-the-agent-token-0123456789ab";

let collector: CollectorProcess;
let dir: string;
let certFile: string;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** GET on the collector's HTTPS API as the admin, trusting only the test certificate. */
function apiGet<T>(path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = httpsGet(
      `${collector.httpUrl}${path}`,
      { ca: readFileSync(certFile), headers: { authorization: `Bearer ${ADMIN}` } },
      (response) => {
        let text = "";
        response.on("data", (chunk) => {
          text += chunk;
        });
        response.on("end", () =>
          response.statusCode === 200 ? resolve(JSON.parse(text) as T) : reject(new Error(text)),
        );
      },
    );
    request.on("error", reject);
  });
}

async function storedTargets(prefix: string): Promise<string[]> {
  const range = `from=${Date.now() - 600_000}&to=${Date.now() + 60_000}`;
  const body = await apiGet<{ requests: { target: string }[] }>(
    `/api/v1/requests?${range}&observations=all&limit=1000`,
  );
  return body.requests.map((request) => request.target).filter((target) => target.startsWith(prefix));
}

async function connectedAgents(): Promise<string[]> {
  const body = await apiGet<{ agents: { agentId: string; config: { connected: boolean } }[] }>(
    "/api/v1/agents",
  );
  return body.agents.filter((agent) => agent.config.connected).map((agent) => agent.agentId);
}

const record = (target: string) =>
  create(RequestRecordSchema, {
    protocol: "http",
    side: Side.CLIENT,
    startTimeUnixNano: BigInt(Date.now()) * 1_000_000n,
    durationNano: 1_000_000n,
    client: { ip: "10.9.0.1", port: 40000, service: "tls-client", pid: 1, processName: "client" },
    server: { ip: "10.9.0.2", port: 80, service: "tls-server", pid: 2, processName: "server" },
    operation: "GET",
    target,
    status: 200,
  });
const agentInfo = () => create(AgentInfoSchema, { hostname: "tls-host", version: "0.1.0" });

/** What main.ts builds from the environment, for this collector. */
function agentSide(env: Record<string, string>) {
  const config = loadConfig({ PERISCOPE_COLLECTOR_ADDR: collector.grpcAddress, ...env });
  return { config, credentials: collectorCredentials(config) };
}

function exporterFor(agentId: string, env: Record<string, string>): Exporter {
  const { config, credentials } = agentSide(env);
  const exporter = new Exporter({
    address: config.collectorAddress,
    agentId,
    agentInfo,
    credentials,
    token: config.agentToken,
    flushIntervalMs: 50,
    retryInitialMs: 20,
    retryMaxMs: 100,
  });
  cleanups.push(() => exporter.close(100));
  return exporter;
}

function controlStreamFor(agentId: string, env: Record<string, string>, log: string[]) {
  const { config, credentials } = agentSide(env);
  const controls = new RuntimeControls({ setControls: () => {}, replaceFilter: () => {} });
  const stream = new CollectorControlStream({
    address: config.collectorAddress,
    agentId,
    controls,
    defaultCaptureBytes: 4096,
    credentials,
    token: config.agentToken,
    reconnectDelayMs: { initial: 50, max: 200 },
    log: (line) => log.push(line),
  });
  cleanups.push(() => stream.close());
  return { stream, controls };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "periscope-agent-tls-"));
  certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"],
      ...["-keyout", keyFile, "-out", certFile],
      ...["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
    ],
    { stdio: "ignore" },
  );
  collector = await startCollectorProcess({
    PERISCOPE_DATA_DIR: join(dir, "data"),
    PERISCOPE_ADMIN_TOKEN: ADMIN,
    PERISCOPE_AGENT_TOKEN: AGENT,
    PERISCOPE_TLS_CERT: certFile,
    PERISCOPE_TLS_KEY: keyFile,
  });
}, 60_000);

afterAll(async () => {
  await collector?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("Exporter to a collector with an agent token and TLS", () => {
  it("delivers records with the right token, trusting the collector through PERISCOPE_COLLECTOR_CA", async () => {
    expect(collector.httpUrl).toMatch(/^https:/);
    const exporter = exporterFor("agent-tls-ok", {
      PERISCOPE_AGENT_TOKEN: AGENT,
      PERISCOPE_COLLECTOR_CA: certFile,
    });
    exporter.add(record("/tls-ok/1"));
    exporter.add(record("/tls-ok/2"));
    exporter.flush();
    await until(() => (exporter.pendingBatches === 0 ? true : undefined));
    expect(exporter.counters).toMatchObject({ batchesSent: 1, recordsSent: 2, retries: 0 });
    const stored = await until(async () => {
      const targets = await storedTargets("/tls-ok/");
      return targets.length === 2 ? targets : undefined;
    });
    expect(stored.sort()).toEqual(["/tls-ok/1", "/tls-ok/2"]);
  });

  it("keeps the batch and retries it while the collector refuses the token", async () => {
    const exporter = exporterFor("agent-tls-wrong-token", {
      PERISCOPE_AGENT_TOKEN: WRONG,
      PERISCOPE_COLLECTOR_CA: certFile,
    });
    exporter.add(record("/tls-wrong-token/1"));
    exporter.flush();
    await until(() => (exporter.counters.retries >= 3 ? true : undefined));
    expect(exporter.pendingBatches).toBe(1);
    expect(exporter.counters).toMatchObject({ batchesSent: 0, recordsSent: 0, recordsDropped: 0 });
    expect(await storedTargets("/tls-wrong-token/")).toEqual([]);
  });

  it("keeps the batch when the collector's certificate is not trusted (system roots only)", async () => {
    const exporter = exporterFor("agent-tls-untrusted", {
      PERISCOPE_AGENT_TOKEN: AGENT,
      PERISCOPE_COLLECTOR_TLS: "true",
    });
    exporter.add(record("/tls-untrusted/1"));
    exporter.flush();
    await until(() => (exporter.counters.retries >= 2 ? true : undefined));
    expect(exporter.pendingBatches).toBe(1);
    expect(await storedTargets("/tls-untrusted/")).toEqual([]);
  });
});

describe("CollectorControlStream to a collector with an agent token and TLS", () => {
  it("connects with the right token and CA, and the collector lists the agent as connected", async () => {
    const log: string[] = [];
    const { stream, controls } = controlStreamFor(
      "agent-control-ok",
      {
        PERISCOPE_AGENT_TOKEN: AGENT,
        PERISCOPE_COLLECTOR_CA: certFile,
      },
      log,
    );
    await controls.apply(parseRuntimeConfig({ captureBytes: { default: 4096 } }));
    stream.start();
    await until(async () => ((await connectedAgents()).includes("agent-control-ok") ? true : undefined));
    expect(log).toEqual([]);
  });

  it("is refused with a wrong token, says why, and never logs the token", async () => {
    const log: string[] = [];
    const { stream } = controlStreamFor(
      "agent-control-wrong",
      {
        PERISCOPE_AGENT_TOKEN: WRONG,
        PERISCOPE_COLLECTOR_CA: certFile,
      },
      log,
    );
    stream.start();
    await until(() => (log.length >= 2 ? true : undefined));
    expect(log[0]).toMatch(/UNAUTHENTICATED/);
    expect(log.join("\n")).not.toContain(WRONG);
    expect(await connectedAgents()).not.toContain("agent-control-wrong");
  });
});
