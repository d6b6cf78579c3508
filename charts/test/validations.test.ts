import { describe, expect, it } from "vitest";
import { tryRender } from "./helm.js";

function renderError(set: string[]): string {
  const result = tryRender({ set });
  expect(result.status, "helm template should refuse these values").not.toBe(0);
  return result.stderr;
}

describe("values helm refuses, with a message naming what to set", () => {
  it("external storage without a URL", () => {
    expect(renderError(["storage.mode=external"])).toContain(
      "storage.mode=external needs the ClickHouse address: set storage.external.url",
    );
  });

  it("more than one collector on the embedded engine", () => {
    expect(renderError(["storage.mode=embedded", "collector.replicas=2"])).toContain(
      "storage.mode=embedded keeps data inside one collector process (the engine locks its data directory): set collector.replicas=1",
    );
  });

  it("an unprivileged agent with no capabilities", () => {
    expect(
      renderError(["agent.securityContext.privileged=false", "agent.securityContext.capabilities=null"]),
    ).toContain("set agent.securityContext.privileged=true or list agent.securityContext.capabilities");
  });

  it("an ingress for a disabled UI", () => {
    expect(renderError(["ui.enabled=false", "ui.ingress.enabled=true"])).toContain(
      "ui.ingress.enabled=true needs the UI: set ui.enabled=true",
    );
  });

  it("an unknown storage mode (values.schema.json)", () => {
    expect(renderError(["storage.mode=s3"])).toContain(
      'storage.mode must be one of the following: "clickhouse", "external", "embedded"',
    );
  });

  it("a misspelt key (values.schema.json)", () => {
    expect(renderError(["collector.retentionDay=30"])).toContain(
      "Additional property retentionDay is not allowed",
    );
  });

  it("a misspelt TLS key (values.schema.json)", () => {
    expect(renderError(["tls.secretName=collector-cert"])).toContain(
      "Additional property secretName is not allowed",
    );
  });

  it("a password that cannot travel inside a URL (values.schema.json)", () => {
    expect(renderError(["storage.clickhouse.auth.password=p@ss/word"])).toContain(
      "storage.clickhouse.auth.password",
    );
  });

  it("accepts an unprivileged agent that lists its capabilities", () => {
    expect(tryRender({ set: ["agent.securityContext.privileged=false"] }).status).toBe(0);
  });
});
