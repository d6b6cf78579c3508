import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("uses the documented defaults", () => {
    expect(loadConfig({})).toEqual({
      httpHost: "127.0.0.1",
      httpPort: 8080,
      grpcAddress: "127.0.0.1:4770",
      dataDir: ".periscope/data",
      storageUrl: "",
      retentionDays: 7,
      rollupRetentionDays: 30,
      hourlyRollupRetentionDays: 365,
      queryMaxSeconds: 30,
      queryMaxMemoryMegabytes: 1024,
      queryMaxRows: 1_000_000_000,
      storageMaxBytes: 0,
      storageMinFreePercent: 10,
      profileRetentionDays: 7,
      linkRetentionDays: 90,
      agentRetentionDays: 30,
      storageCluster: "",
      maxInflightInserts: 2,
      maxRowsPerInsert: 100_000,
      ingestLingerMs: 1_000,
      ingestIdleLingerMs: 5_000,
      ingestBufferRows: 1_000_000,
      ingestBufferMegabytes: 256,
      ingestAck: "stored",
      logLevel: "info",
      adminToken: "",
      uiToken: "",
      agentToken: "",
      authDisabled: false,
      tlsCertFile: "",
      tlsKeyFile: "",
      kubernetes: "auto",
      kubeconfig: "",
      kubernetesApiUrl: "",
      kubernetesServiceHost: "",
      kubernetesGraceSeconds: 300,
      otlpEndpoint: "",
      otlpHeaders: {},
      otlpQueueItems: 100_000,
    });
  });

  it("refuses short tokens and unclear booleans", () => {
    expect(() => loadConfig({ PERISCOPE_ADMIN_TOKEN: "short", PERISCOPE_AUTH_DISABLED: "yes" })).toThrow(
      /PERISCOPE_ADMIN_TOKEN: a token must be at least 16 characters; PERISCOPE_AUTH_DISABLED: expected true or false/,
    );
  });

  it("reads the variables", () => {
    const config = loadConfig({
      PERISCOPE_HTTP_PORT: "0",
      PERISCOPE_GRPC_ADDR: "[::1]:4771",
      PERISCOPE_STORAGE_URL: "https://user:pw@clickhouse:8443/periscope",
      PERISCOPE_RETENTION_DAYS: "30",
    });
    expect(config).toMatchObject({
      httpPort: 0,
      grpcAddress: "[::1]:4771",
      storageUrl: "https://user:pw@clickhouse:8443/periscope",
      retentionDays: 30,
    });
  });

  it("reads the OTLP endpoint and its headers as OTEL_EXPORTER_OTLP_HEADERS writes them, and says what is wrong", () => {
    expect(
      loadConfig({
        PERISCOPE_OTLP_ENDPOINT: "https://otel.example:4318",
        PERISCOPE_OTLP_HEADERS: "authorization=Bearer%20abc, x-scope-orgid=team-1",
      }),
    ).toMatchObject({
      otlpEndpoint: "https://otel.example:4318",
      otlpHeaders: { authorization: "Bearer abc", "x-scope-orgid": "team-1" },
    });
    expect(() => loadConfig({ PERISCOPE_OTLP_ENDPOINT: "grpc://otel:4317" })).toThrow(
      /PERISCOPE_OTLP_ENDPOINT: expected an http\(s\) URL/,
    );
    expect(() => loadConfig({ PERISCOPE_OTLP_HEADERS: "no-equals-sign" })).toThrow(
      /PERISCOPE_OTLP_HEADERS: expected name=value pairs/,
    );
    expect(() => loadConfig({ PERISCOPE_OTLP_HEADERS: "a=%E0%A4%A" })).toThrow(
      /the value of a is not URL-encoded/,
    );
  });

  it("reports every invalid variable at once", () => {
    const load = () =>
      loadConfig({
        PERISCOPE_HTTP_PORT: "80a",
        PERISCOPE_STORAGE_URL: "clickhouse:8123",
        PERISCOPE_RETENTION_DAYS: "0",
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      /PERISCOPE_HTTP_PORT: expected an integer.*PERISCOPE_STORAGE_URL: expected an http\(s\) URL.*PERISCOPE_RETENTION_DAYS: expected 1\.\.3650/,
    );
  });

  it("reads storage limits in bytes with units, and keeps hourly roll-ups at least as long as minute ones", () => {
    expect(loadConfig({ PERISCOPE_STORAGE_MAX_BYTES: "20GiB" }).storageMaxBytes).toBe(20 * 2 ** 30);
    expect(loadConfig({ PERISCOPE_STORAGE_MAX_BYTES: "500M" }).storageMaxBytes).toBe(500_000_000);
    expect(loadConfig({ PERISCOPE_STORAGE_MAX_BYTES: "1048576" }).storageMaxBytes).toBe(1_048_576);
    expect(() => loadConfig({ PERISCOPE_STORAGE_MAX_BYTES: "20 gigs" })).toThrow(
      'PERISCOPE_STORAGE_MAX_BYTES: expected bytes like 20GiB or 500000000, got "20 gigs"',
    );
    expect(() =>
      loadConfig({ PERISCOPE_ROLLUP_RETENTION_DAYS: "60", PERISCOPE_ROLLUP_HOURLY_RETENTION_DAYS: "30" }),
    ).toThrow(
      "PERISCOPE_ROLLUP_HOURLY_RETENTION_DAYS: must be at least PERISCOPE_ROLLUP_RETENTION_DAYS (60), got 30",
    );
  });
});
