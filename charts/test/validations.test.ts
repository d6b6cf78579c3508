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

  it("cluster storage without the cluster's name", () => {
    expect(renderError(["storage.mode=cluster", "storage.cluster.url=http://ch:8123"])).toContain(
      "storage.mode=cluster needs the ClickHouse cluster's name from its remote_servers configuration: set storage.cluster.name",
    );
  });

  it("cluster storage without a server address", () => {
    expect(renderError(["storage.mode=cluster", "storage.cluster.name=main"])).toContain(
      "storage.mode=cluster needs the address of one of the cluster's servers: set storage.cluster.url",
    );
  });

  it("more than one collector on the embedded engine", () => {
    expect(renderError(["collector.replicas=2"])).toContain(
      "storage.mode=embedded keeps data inside one collector process (the engine locks its data directory): set collector.replicas=1",
    );
  });

  it("an unprivileged agent with no capabilities", () => {
    expect(
      renderError(["agent.securityContext.privileged=false", "agent.securityContext.capabilities=null"]),
    ).toContain("set agent.securityContext.privileged=true or list agent.securityContext.capabilities");
  });

  it("an agent memory limit written in a form the heap cap cannot be computed from (values.schema.json)", () => {
    expect(renderError(["agent.resources.limits.memory=1.5Gi"])).toContain("agent.resources.limits.memory");
  });

  it("an agent without a memory limit (values.schema.json)", () => {
    expect(renderError(["agent.resources.limits=null"])).toContain("agent.resources: limits is required");
    expect(renderError(["agent.resources.limits.memory=null", "agent.resources.limits.cpu=1"])).toContain(
      "agent.resources.limits: memory is required",
    );
  });

  it("a certificate Secret named while TLS is off", () => {
    expect(renderError(["tls.enabled=false", "tls.existingSecret=collector-cert"])).toContain(
      "tls.existingSecret is set but tls.enabled=false: set tls.enabled=true",
    );
  });

  it("an ingress for a disabled UI", () => {
    expect(renderError(["ui.enabled=false", "ui.ingress.enabled=true"])).toContain(
      "ui.ingress.enabled=true needs the UI: set ui.enabled=true",
    );
  });

  it("an unknown storage mode (values.schema.json)", () => {
    expect(renderError(["storage.mode=s3"])).toContain(
      'storage.mode must be one of the following: "embedded", "external", "cluster"',
    );
  });

  it("a ClickHouse URL that is not http(s) (values.schema.json)", () => {
    expect(renderError(["storage.mode=external", "storage.external.url=tcp://ch:9000"])).toContain(
      "storage.external.url",
    );
  });

  it("a cluster name the collector would refuse in DDL (values.schema.json)", () => {
    expect(
      renderError([
        "storage.mode=cluster",
        "storage.cluster.name=main;drop",
        "storage.cluster.url=http://ch:8123",
      ]),
    ).toContain("storage.cluster.name");
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

  it("accepts an unprivileged agent that lists its capabilities", () => {
    expect(tryRender({ set: ["agent.securityContext.privileged=false"] }).status).toBe(0);
  });
});
