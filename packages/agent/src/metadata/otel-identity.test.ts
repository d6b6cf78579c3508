// What a process states about itself the OpenTelemetry way, parsed from its
// environment block, and turned into its name, namespace and the attributes
// its records carry.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestRecord } from "../records/request-record.js";
import { EndpointResolver } from "./endpoint-resolver.js";
import { otelIdentityOf } from "./otel-identity.js";
import { ProcessNames } from "./process-names.js";

const environ = (...entries: string[]) => `${entries.join("\0")}\0`;

describe("otelIdentityOf", () => {
  it("takes OTEL_SERVICE_NAME, else service.name, and service.namespace", () => {
    expect(
      otelIdentityOf(
        environ(
          "PATH=/bin",
          "OTEL_SERVICE_NAME=checkout",
          "OTEL_RESOURCE_ATTRIBUTES=service.namespace=shop,team=a",
        ),
      ),
    ).toEqual({ serviceName: "checkout", namespace: "shop" });
    expect(
      otelIdentityOf(environ("OTEL_RESOURCE_ATTRIBUTES=service.name=cart,service.namespace=shop")),
    ).toEqual({
      serviceName: "cart",
      namespace: "shop",
    });
    expect(otelIdentityOf(environ("HOME=/root"))).toEqual({ serviceName: "", namespace: "" });
  });

  it("decodes percent-encoded values and skips what it cannot read, keeping the rest", () => {
    expect(
      otelIdentityOf(
        environ("OTEL_RESOURCE_ATTRIBUTES=service.name=bad%E0%A4,service.namespace=my%20shop,=x,novalue"),
      ),
    ).toEqual({ serviceName: "", namespace: "my shop" });
    expect(
      otelIdentityOf(
        environ("OTEL_SERVICE_NAME=a\u0001b", `OTEL_RESOURCE_ATTRIBUTES=service.name=${"x".repeat(300)}`),
      ),
    ).toEqual({
      serviceName: "",
      namespace: "",
    });
  });
});

describe("a process that states its identity", () => {
  let child: ReturnType<typeof spawn>;
  beforeAll(async () => {
    child = spawn(process.execPath, ["-e", 'console.log("ready"); setInterval(() => {}, 1000);'], {
      env: {
        ...process.env,
        OTEL_SERVICE_NAME: "catalog",
        OTEL_RESOURCE_ATTRIBUTES: "service.namespace=shop,deployment.environment=dev",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise((resolve) => child.stdout?.once("data", resolve));
  });
  afterAll(() => {
    child.kill();
  });

  it("is named <namespace>/<service> and its records carry the namespace for the map", () => {
    const pid = child.pid ?? 0;
    const names = new ProcessNames();
    expect(names.get(pid)).toBe("shop/catalog");
    expect(names.namespaceOf(pid)).toBe("shop");
    expect(names.namespaceOf(process.pid)).toBe("");

    const resolver = new EndpointResolver({} as never, names, {} as never, {} as never);
    const end = (owner: number) => ({
      ip: "127.0.0.1",
      port: 1,
      service: names.get(owner),
      pid: owner,
      processName: "",
    });
    const record = {
      client: end(process.pid),
      server: end(pid),
      attributes: {},
    } as unknown as RequestRecord;
    resolver.addStatedNamespaces(record);
    expect(record.attributes).toEqual({ "k8s.server.namespace": "shop" });

    const parsed = { ...record, attributes: { "k8s.server.namespace": "from-parser" } } as RequestRecord;
    resolver.addStatedNamespaces(parsed);
    expect(parsed.attributes["k8s.server.namespace"]).toBe("from-parser");
  });
});
