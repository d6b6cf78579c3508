import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";
import { DEFAULT_REDACTION_RULES } from "./records/redaction-rules.js";

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    expect(loadConfig({})).toEqual({
      collectorAddress: "127.0.0.1:4770",
      agentId: hostname(),
      captureBytes: 4096,
      bpfObjectPath: undefined,
      apiAddress: "127.0.0.1:4781",
      redaction: DEFAULT_REDACTION_RULES,
    });
  });

  it("reads every variable", () => {
    expect(
      loadConfig({
        PERISCOPE_COLLECTOR_ADDR: "collector.periscope.svc:4770",
        PERISCOPE_AGENT_ID: "node-7",
        PERISCOPE_CAPTURE_BYTES: "16384",
        PERISCOPE_BPF_OBJECT: "/opt/periscope/socket_trace.bpf.o",
      }),
    ).toEqual({
      collectorAddress: "collector.periscope.svc:4770",
      agentId: "node-7",
      captureBytes: 16384,
      bpfObjectPath: "/opt/periscope/socket_trace.bpf.o",
      apiAddress: "127.0.0.1:4781",
      redaction: DEFAULT_REDACTION_RULES,
    });
    expect(loadConfig({ PERISCOPE_COLLECTOR_ADDR: "[::1]:4770" }).collectorAddress).toBe("[::1]:4770");
  });

  it.each([
    [{ PERISCOPE_CAPTURE_BYTES: "0" }, /PERISCOPE_CAPTURE_BYTES .*1 to 16384, got "0"/],
    [{ PERISCOPE_CAPTURE_BYTES: "20000" }, /PERISCOPE_CAPTURE_BYTES/],
    [{ PERISCOPE_CAPTURE_BYTES: "4k" }, /PERISCOPE_CAPTURE_BYTES/],
    [{ PERISCOPE_COLLECTOR_ADDR: "localhost" }, /PERISCOPE_COLLECTOR_ADDR .*host:port, got "localhost"/],
    [{ PERISCOPE_COLLECTOR_ADDR: "host:99999" }, /PERISCOPE_COLLECTOR_ADDR/],
    [{ PERISCOPE_AGENT_ID: "  " }, /PERISCOPE_AGENT_ID/],
    [{ PERISCOPE_AGENT_API_ADDR: "4781" }, /PERISCOPE_AGENT_API_ADDR .*host:port/],
    [
      { PERISCOPE_REDACTION: '{"maskPatterns":["("]}' },
      /PERISCOPE_REDACTION .*maskPatterns\[0\]: not a regular/,
    ],
  ])("rejects %o with a message naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
