import { describe, expect, it } from "vitest";
import requestsDemo from "../fixtures/requests-demo.json";
import {
  MAX_SPLIT_SERVICES,
  parseAgentOptions,
  parseNames,
  parseServiceOptions,
  planFlameRequests,
  processOptions,
} from "./flameRequests";

const range = { fromMs: Date.parse("2026-12-08T02:00:00Z"), toMs: Date.parse("2026-12-08T02:15:00Z") };
const services = parseServiceOptions({
  services: [
    { name: "shop/cart", namespace: "shop", requestCount: 50, errorCount: 0 },
    { name: "billing/fraud", namespace: "billing", requestCount: 900, errorCount: 2 },
    { name: "demo-frontend", requestCount: 10, errorCount: 0 },
  ],
});

describe("planFlameRequests", () => {
  it("asks once for a chosen service, with the pid when one is set", () => {
    const plan = planFlameRequests({ service: "shop/cart", pid: 4242 }, undefined, range);
    expect(plan?.requests).toEqual([
      {
        scopes: [],
        url: "/api/v1/flamegraph?from=2026-12-08T02%3A00%3A00.000Z&to=2026-12-08T02%3A15%3A00.000Z&service=shop%2Fcart&pid=4242",
      },
    ]);
  });

  it("splits a chosen service's graph by pod or process with the collector's root frames", () => {
    const byPod = planFlameRequests({ service: "shop/cart", pid: 0, split: "pod" }, undefined, range);
    expect(byPod?.requests[0]?.url).toContain("service=shop%2Fcart&splitBy=pod");
    const byProcess = planFlameRequests({ service: "shop/cart", pid: 0, split: "process" }, undefined, range);
    expect(byProcess?.requests[0]?.url).toContain("splitBy=process");
    expect(
      planFlameRequests({ service: "shop/cart", pid: 0, split: "off" }, undefined, range)?.requests[0]?.url,
    ).not.toContain("splitBy");
  });

  it("asks once for a pid alone (the API accepts service or pid)", () => {
    expect(planFlameRequests({ service: undefined, pid: 7 }, undefined, range)?.requests[0]?.url).toContain(
      "pid=7",
    );
  });

  it("asks once for a node, split by the collector's own service frames", () => {
    const node = planFlameRequests({ service: undefined, pid: 0, node: "agent-7" }, undefined, range);
    expect(node?.requests[0]?.url).toContain("node=agent-7&splitBy=service");
    const both = planFlameRequests({ service: "shop/cart", pid: 0, node: "agent-7" }, undefined, range);
    expect(both?.requests[0]?.url).toContain("service=shop%2Fcart&node=agent-7");
    expect(both?.requests[0]?.url).not.toContain("splitBy");
  });

  it("splits a namespace client-side over the services list the frame's namespace filtered", () => {
    const shop = services?.filter((option) => option.namespace === "shop");
    const plan = planFlameRequests({ service: undefined, pid: 0, namespace: "shop" }, shop, range);
    expect(plan?.requests.map((request) => request.url)).toEqual([
      "/api/v1/flamegraph?from=2026-12-08T02%3A00%3A00.000Z&to=2026-12-08T02%3A15%3A00.000Z&service=shop%2Fcart",
    ]);
  });

  it("splits every service under namespace and service frames, busiest first", () => {
    const plan = planFlameRequests({ service: undefined, pid: 0 }, services, range);
    expect(plan?.requests.map((request) => request.scopes)).toEqual([
      [
        { kind: "namespace", value: "billing" },
        { kind: "service", value: "billing/fraud" },
      ],
      [
        { kind: "namespace", value: "shop" },
        { kind: "service", value: "shop/cart" },
      ],
      [{ kind: "service", value: "demo-frontend" }],
    ]);
    expect(plan?.omitted).toBe(0);
  });

  it("bounds the split and says how many services were left out", () => {
    const many = Array.from({ length: MAX_SPLIT_SERVICES + 3 }, (_, i) => ({
      name: `svc-${i}`,
      namespace: undefined,
      requestCount: i,
    }));
    const plan = planFlameRequests({ service: undefined, pid: 0 }, many, range);
    expect(plan?.requests).toHaveLength(MAX_SPLIT_SERVICES);
    expect(plan?.omitted).toBe(3);
    expect(plan?.requests[0]?.scopes).toEqual([{ kind: "service", value: `svc-${MAX_SPLIT_SERVICES + 2}` }]);
  });

  it("waits for the services list before splitting", () => {
    expect(planFlameRequests({ service: undefined, pid: 0 }, undefined, range)).toBeUndefined();
  });
});

describe("parsers", () => {
  it("read the services and names answers, refusing other shapes", () => {
    expect(services?.[2]).toEqual({ name: "demo-frontend", namespace: undefined, requestCount: 10 });
    expect(parseServiceOptions({})).toBeUndefined();
    expect(parseNames({ kind: "namespace", names: [{ name: "shop", requests: 3 }, { name: "" }] })).toEqual([
      "shop",
    ]);
    expect(parseNames({ names: "x" })).toBeUndefined();
    expect(
      parseAgentOptions({ agents: [{ agentId: "a1", hostname: "worker-1" }, { hostname: "x" }] }),
    ).toEqual([{ agentId: "a1", hostname: "worker-1" }]);
    expect(parseAgentOptions({})).toBeUndefined();
  });
});

describe("processOptions", () => {
  const end = (service: string, pid: number, node = "worker-1") => ({
    service,
    ip: "10.0.0.1",
    port: 80,
    pid,
    processName: service.split("/").pop(),
    node,
    pod: `${service.split("/").pop()}-abc`,
  });
  const body = {
    requests: [
      { client: end("shop/frontend", 11), server: end("shop/cart", 22) },
      { client: end("shop/frontend", 11), server: end("shop/cart", 23, "worker-2") },
      { client: end("shop/cart", 22), server: end("shop/redis", 0) },
      { client: "bad", server: null },
    ],
  };

  it("lists each process seen as the service, at either end, once, by node then pid", () => {
    expect(processOptions(body, "shop/cart")).toEqual([
      { pid: 22, processName: "cart", node: "worker-1", pod: "cart-abc" },
      { pid: 23, processName: "cart", node: "worker-2", pod: "cart-abc" },
    ]);
  });

  it("skips ends without a pid and services not asked for", () => {
    expect(processOptions(body, "shop/redis")).toEqual([]);
    expect(processOptions({}, "shop/cart")).toEqual([]);
  });

  it("reads the requests fixture the request table uses", () => {
    expect(processOptions(requestsDemo, "demo-frontend")).toEqual([
      { pid: 4100, processName: "demo-frontend", node: "", pod: "" },
    ]);
  });
});
