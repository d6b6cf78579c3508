import fc from "fast-check";
import { describe, expect, it } from "vitest";
import demoHealthy from "../fixtures/map-demo-healthy.json";
import requestsDemo from "../fixtures/requests-demo.json";
import { parseRequests } from "./parseRequests";
import { parseServiceMap } from "./parseServiceMap";

describe("parseServiceMap", () => {
  it("reads the demo map fixture", () => {
    const map = parseServiceMap(demoHealthy);
    expect(map?.nodes.map((n) => n.id)).toEqual(["demo-frontend", "demo-users", "demo-orders"]);
    expect(map?.edges[1]).toEqual({
      id: "demo-frontend->demo-orders",
      source: "demo-frontend",
      target: "demo-orders",
      protocols: ["http"],
      requestCount: 120,
      errorCount: 0,
      p50Ms: 2.1,
      p99Ms: 12.75,
    });
  });

  it("drops nodes without an id and edges without both ends, defaults missing numbers to 0", () => {
    const map = parseServiceMap({
      nodes: [{ id: "a" }, { label: "no id" }, null, 7],
      edges: [{ source: "a", target: "b", p99Ms: "slow" }, { source: "a" }],
    });
    expect(map?.nodes).toEqual([{ id: "a", label: "a", kind: "service", requestCount: 0, errorCount: 0 }]);
    expect(map?.edges).toEqual([
      {
        id: "a->b",
        source: "a",
        target: "b",
        protocols: [],
        requestCount: 0,
        errorCount: 0,
        p50Ms: 0,
        p99Ms: 0,
      },
    ]);
  });

  it("rejects bodies that are not map responses", () => {
    expect(parseServiceMap({ error: { code: "internal", message: "x" } })).toBeUndefined();
    expect(parseServiceMap(null)).toBeUndefined();
  });

  it("never throws, whatever JSON arrives", () => {
    fc.assert(fc.property(fc.jsonValue(), (body) => void parseServiceMap(body)));
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.array(fc.jsonValue()), (nodes, edges) => {
        const map = parseServiceMap({ nodes, edges });
        expect(map?.nodes.every((n) => typeof n.id === "string" && n.id !== "")).toBe(true);
      }),
    );
  });
});

describe("parseRequests", () => {
  it("reads the requests fixture, newest first as served", () => {
    const requests = parseRequests(requestsDemo);
    expect(requests?.map((r) => [r.operation, r.target, r.status, r.durationMs])).toEqual([
      ["GET", "/checkout", 200, 3.25],
      ["POST", "/users/42/reserve", 503, 1250.5],
    ]);
    expect(requests?.[1]?.client).toEqual({
      service: "demo-orders",
      ip: "127.0.0.1",
      port: 40112,
      pid: 4102,
      processName: "demo-orders",
    });
  });

  it("fills a missing endpoint with empty fields rather than failing the whole list", () => {
    const requests = parseRequests({ requests: [{ operation: "GET", target: "/" }, "junk"] });
    expect(requests).toHaveLength(1);
    expect(requests?.[0]?.server.ip).toBe("");
  });

  it("never throws, whatever JSON arrives", () => {
    fc.assert(fc.property(fc.jsonValue(), (body) => void parseRequests(body)));
    fc.assert(fc.property(fc.array(fc.jsonValue()), (requests) => void parseRequests({ requests })));
  });
});
