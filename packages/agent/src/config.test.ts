import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";
import { DEFAULT_REDACTION_RULES } from "./records/redaction-rules.js";

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    expect(loadConfig({})).toEqual({
      collectorAddress: "127.0.0.1:4770",
      agentId: hostname(),
      nodeName: hostname(),
      captureBytes: 4096,
      bpfObjectPath: undefined,
      apiAddress: "127.0.0.1:4781",
      redaction: DEFAULT_REDACTION_RULES,
      agentToken: undefined,
      collectorTls: false,
      collectorCa: undefined,
      recordBudgetPerSecond: 5000,
      metricsIntervalMs: 5000,
      captureSelf: false,
      spoolDir: undefined,
      spoolMaxBytes: 1024 ** 3,
      btfPath: undefined,
      tracefsPath: undefined,
      memoryLimitBytes: undefined,
    });
  });

  it("reads every variable", () => {
    expect(
      loadConfig({
        PERISCOPE_COLLECTOR_ADDR: "collector.periscope.svc:4770",
        PERISCOPE_AGENT_ID: "node-7",
        PERISCOPE_NODE_NAME: "ip-10-0-3-17.eu-west-1.compute.internal",
        PERISCOPE_CAPTURE_BYTES: "16384",
        PERISCOPE_BPF_OBJECT: "/opt/periscope/socket_trace.bpf.o",
      }),
    ).toEqual({
      collectorAddress: "collector.periscope.svc:4770",
      agentId: "node-7",
      nodeName: "ip-10-0-3-17.eu-west-1.compute.internal",
      captureBytes: 16384,
      bpfObjectPath: "/opt/periscope/socket_trace.bpf.o",
      apiAddress: "127.0.0.1:4781",
      redaction: DEFAULT_REDACTION_RULES,
      agentToken: undefined,
      collectorTls: false,
      collectorCa: undefined,
      recordBudgetPerSecond: 5000,
      metricsIntervalMs: 5000,
      captureSelf: false,
      spoolDir: undefined,
      spoolMaxBytes: 1024 ** 3,
      btfPath: undefined,
      tracefsPath: undefined,
      memoryLimitBytes: undefined,
    });
    expect(loadConfig({ PERISCOPE_COLLECTOR_ADDR: "[::1]:4770" }).collectorAddress).toBe("[::1]:4770");
    expect(
      loadConfig({ PERISCOPE_SPOOL_DIR: "/var/lib/periscope/spool", PERISCOPE_SPOOL_MAX_BYTES: "2097152" }),
    ).toMatchObject({ spoolDir: "/var/lib/periscope/spool", spoolMaxBytes: 2097152 });
    expect(
      loadConfig({
        PERISCOPE_BTF_PATH: "/var/lib/btf/5.10.0-28.btf",
        PERISCOPE_TRACEFS_PATH: "/host/tracing/",
      }),
    ).toMatchObject({ btfPath: "/var/lib/btf/5.10.0-28.btf", tracefsPath: "/host/tracing" });
    // The downward API's limits.memory is integer bytes; people write quantities.
    expect(loadConfig({ PERISCOPE_MEMORY_LIMIT: "536870912" }).memoryLimitBytes).toBe(512 * 1024 ** 2);
    expect(loadConfig({ PERISCOPE_MEMORY_LIMIT: "512Mi" }).memoryLimitBytes).toBe(512 * 1024 ** 2);
    expect(loadConfig({ PERISCOPE_MEMORY_LIMIT: "1G" }).memoryLimitBytes).toBe(1e9);
    expect(loadConfig({ PERISCOPE_MEMORY_LIMIT: "max" }).memoryLimitBytes).toBe(Number.POSITIVE_INFINITY);
  });

  it.each([
    [{ PERISCOPE_CAPTURE_BYTES: "0" }, /PERISCOPE_CAPTURE_BYTES .*1 to 16384, got "0"/],
    [{ PERISCOPE_CAPTURE_BYTES: "20000" }, /PERISCOPE_CAPTURE_BYTES/],
    [{ PERISCOPE_CAPTURE_BYTES: "4k" }, /PERISCOPE_CAPTURE_BYTES/],
    [{ PERISCOPE_SPOOL_MAX_BYTES: "1000" }, /PERISCOPE_SPOOL_MAX_BYTES .*from 1048576/],
    [{ PERISCOPE_MEMORY_LIMIT: "lots" }, /PERISCOPE_MEMORY_LIMIT .*512Mi or 2G, got "lots"/],
    [{ PERISCOPE_MEMORY_LIMIT: "32Mi" }, /PERISCOPE_MEMORY_LIMIT .*at least 64Mi, got "32Mi"/],
    [{ PERISCOPE_COLLECTOR_ADDR: "localhost" }, /PERISCOPE_COLLECTOR_ADDR .*host:port, got "localhost"/],
    [{ PERISCOPE_COLLECTOR_ADDR: "host:99999" }, /PERISCOPE_COLLECTOR_ADDR/],
    [{ PERISCOPE_AGENT_ID: "  " }, /PERISCOPE_AGENT_ID/],
    [{ PERISCOPE_AGENT_API_ADDR: "4781" }, /PERISCOPE_AGENT_API_ADDR .*host:port/],
    [{ PERISCOPE_AGENT_TOKEN: "short-token" }, /PERISCOPE_AGENT_TOKEN .*at least 16 characters/],
    [{ PERISCOPE_AGENT_TOKEN: "has a space in the token" }, /PERISCOPE_AGENT_TOKEN .*without spaces/],
    [{ PERISCOPE_COLLECTOR_TLS: "yes" }, /PERISCOPE_COLLECTOR_TLS .*true or false, got "yes"/],
    [{ PERISCOPE_RECORD_BUDGET: "5k" }, /PERISCOPE_RECORD_BUDGET .*0 to 1000000, got "5k"/],
    [{ PERISCOPE_METRICS_INTERVAL_MS: "60000" }, /PERISCOPE_METRICS_INTERVAL_MS .*1000 to 10000/],
    [{ PERISCOPE_CAPTURE_SELF: "sure" }, /PERISCOPE_CAPTURE_SELF .*true or false/],
    [
      { PERISCOPE_COLLECTOR_CA: "/nonexistent/periscope-ca.pem" },
      /PERISCOPE_COLLECTOR_CA .*cannot read "\/nonexistent\/periscope-ca.pem": ENOENT/,
    ],
    [
      { PERISCOPE_REDACTION: '{"maskPatterns":["("]}' },
      /PERISCOPE_REDACTION .*maskPatterns\[0\]: not a regular/,
    ],
  ])("rejects %o with a message naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe("loadConfig: the connection to the collector", () => {
  const dir = mkdtempSync(join(tmpdir(), "periscope-agent-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const caFile = join(dir, "ca.pem");
  // Only the PEM framing is checked at start-up; grpc-js parses the certificate when it connects.
  const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  writeFileSync(caFile, pem);
  const notPem = join(dir, "key.txt");
  writeFileSync(notPem, "not a certificate\n");

  it("reads the token, TLS and a CA bundle, which implies TLS", () => {
    const token = "agent-token-0123456789abcdef";
    expect(
      loadConfig({ PERISCOPE_AGENT_TOKEN: ` ${token}\n`, PERISCOPE_COLLECTOR_TLS: "true" }),
    ).toMatchObject({
      agentToken: token,
      collectorTls: true,
      collectorCa: undefined,
    });
    const withCa = loadConfig({ PERISCOPE_COLLECTOR_CA: caFile });
    expect(withCa.collectorTls).toBe(true);
    expect(withCa.collectorCa?.toString()).toBe(pem);
    expect(loadConfig({ PERISCOPE_COLLECTOR_TLS: "false" }).collectorTls).toBe(false);
  });

  it("refuses a file without a certificate and a CA with TLS turned off", () => {
    expect(() => loadConfig({ PERISCOPE_COLLECTOR_CA: notPem })).toThrow(
      /PERISCOPE_COLLECTOR_CA .*holds no PEM certificate/,
    );
    expect(() => loadConfig({ PERISCOPE_COLLECTOR_CA: dir })).toThrow(/PERISCOPE_COLLECTOR_CA .*EISDIR/);
    expect(() => loadConfig({ PERISCOPE_COLLECTOR_CA: caFile, PERISCOPE_COLLECTOR_TLS: "false" })).toThrow(
      /PERISCOPE_COLLECTOR_CA implies TLS, but PERISCOPE_COLLECTOR_TLS is false/,
    );
  });

  it("never puts the token in an error message", () => {
    const secret = "Zm9vYmFy secret with spaces";
    expect(() => loadConfig({ PERISCOPE_AGENT_TOKEN: secret })).toThrow(ConfigError);
    try {
      loadConfig({ PERISCOPE_AGENT_TOKEN: secret });
    } catch (error) {
      expect((error as Error).message).not.toContain("Zm9vYmFy");
    }
  });
});
