import { describe, expect, it } from "vitest";
import { parseServiceMap } from "../api/parseServiceMap";
import type { ServiceMap } from "../api/types";
import demoHealthy from "../fixtures/map-demo-healthy.json";
import errorsAndExternal from "../fixtures/map-errors-and-external.json";
import type { EdgeElement, GraphElement, NodeElement } from "./elements";
import { HEALTH_COLORS } from "./health";
import { shapeServiceMap } from "./shapeServiceMap";

function fixture(body: unknown): ServiceMap {
  const map = parseServiceMap(body);
  if (!map) throw new Error("fixture is not a map response");
  return map;
}

const nodesOf = (elements: GraphElement[]) =>
  elements.filter((e): e is NodeElement => e.group === "nodes").map((e) => e.data);
const edgesOf = (elements: GraphElement[]) =>
  elements.filter((e): e is EdgeElement => e.group === "edges").map((e) => e.data);

describe("shapeServiceMap", () => {
  it("demo workload: three services, three healthy edges labelled with count and p99", () => {
    const elements = shapeServiceMap(fixture(demoHealthy));
    expect(nodesOf(elements).map((n) => n.id)).toEqual(["demo-frontend", "demo-users", "demo-orders"]);
    expect(edgesOf(elements).map((e) => [e.source, e.target, e.label])).toEqual([
      ["demo-frontend", "demo-users", "120 req · p99 4.20 ms"],
      ["demo-frontend", "demo-orders", "120 req · p99 12.8 ms"],
      ["demo-orders", "demo-users", "120 req · p99 3.10 ms"],
    ]);
    expect(edgesOf(elements).every((e) => e.health === "healthy" && e.color === HEALTH_COLORS.healthy)).toBe(
      true,
    );
  });

  it("a caller that receives no traffic itself is idle, not healthy", () => {
    const frontend = nodesOf(shapeServiceMap(fixture(demoHealthy))).find((n) => n.id === "demo-frontend");
    expect(frontend?.health).toBe("idle");
  });

  it("errors and external peers: failing and degraded edges are coloured, externals keep their kind", () => {
    const elements = shapeServiceMap(fixture(errorsAndExternal));
    const edges = new Map(edgesOf(elements).map((e) => [e.id, e]));
    expect(edges.get("frontend->checkout")).toMatchObject({
      health: "failing",
      color: HEALTH_COLORS.failing,
      label: "400 req · p99 1.84 s · 80 err",
      protocols: "http, grpc",
    });
    expect(edges.get("checkout->10.0.0.7:5432")).toMatchObject({
      health: "degraded",
      color: HEALTH_COLORS.degraded,
    });
    const external = nodesOf(elements).find((n) => n.id === "10.0.0.7:5432");
    expect(external).toMatchObject({ kind: "external", health: "healthy" });
  });

  it("an edge to a peer missing from nodes gets a placeholder external node", () => {
    const elements = shapeServiceMap({
      from: "",
      to: "",
      nodes: [{ id: "api", label: "api", kind: "service", requestCount: 1, errorCount: 0 }],
      edges: [
        {
          id: "api->1.2.3.4:443",
          source: "api",
          target: "1.2.3.4:443",
          protocols: ["http"],
          requestCount: 1,
          errorCount: 0,
          p50Ms: 1,
          p99Ms: 1,
        },
      ],
    });
    expect(nodesOf(elements).map((n) => [n.id, n.kind])).toEqual([
      ["api", "service"],
      ["1.2.3.4:443", "external"],
    ]);
  });

  it("keeps the first of duplicate ids, which Cytoscape would otherwise reject", () => {
    const node = { id: "a", label: "a", kind: "service" as const, requestCount: 1, errorCount: 0 };
    const elements = shapeServiceMap({
      from: "",
      to: "",
      nodes: [node, { ...node, label: "again" }],
      edges: [],
    });
    expect(nodesOf(elements)).toHaveLength(1);
    expect(nodesOf(elements)[0]?.label).toBe("a");
  });

  it("an empty map gives no elements", () => {
    expect(shapeServiceMap({ from: "", to: "", nodes: [], edges: [] })).toEqual([]);
  });
});
