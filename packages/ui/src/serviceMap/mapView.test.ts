import { describe, expect, it } from "vitest";
import demoNamespaces from "../fixtures/map-demo-namespaces.json";
import type { EdgeData, GraphElement, NodeData } from "./elements";
import { type Expression, parseExpression } from "./mapExpression";
import { filterMap } from "./mapFilters";
import { type MapModel, mapModelOf } from "./mapModel";
import { buildMapView, edgeLabel, type MapViewOptions } from "./mapView";

function demo(): MapModel {
  const model = mapModelOf(demoNamespaces);
  if (!model) throw new Error("fixture is not a map response");
  return model;
}
function expression(text: string): Expression | undefined {
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.expression;
}
const defaults: MapViewOptions = {
  labelMode: "rate",
  colorMode: "errors",
  collapsed: new Set(),
  expanded: new Set(),
};
const nodes = (elements: GraphElement[]) =>
  elements.filter((e) => e.group === "nodes").map((e) => e.data as NodeData);
const edges = (elements: GraphElement[]) =>
  elements.filter((e) => e.group === "edges").map((e) => e.data as EdgeData);
const byId = <T extends { id: string }>(items: T[], id: string): T => {
  const item = items.find((i) => i.id === id);
  if (!item) throw new Error(`no ${id} in ${items.map((i) => i.id).join(", ")}`);
  return item;
};

describe("mapModelOf on the demo's three namespaces", () => {
  it("derives rate, error ratio, a callee's p99 and namespaces from <ns>/<name>", () => {
    const model = demo();
    expect(model.rangeSeconds).toBe(900);
    const stock = byId(model.nodes, "orders/stock");
    expect(stock).toMatchObject({ namespace: "orders", rate: 5, p99Ms: 6.2 });
    expect(stock.errorRatio).toBeCloseTo(375 / 4500);
    expect(byId(model.nodes, "127.0.0.1:5432")).toMatchObject({ kind: "external", namespace: "" });
    expect(byId(model.nodes, "orders/courier").p99Ms).toBe(449);
  });
});

describe("buildMapView", () => {
  it("draws a box per namespace and one for external peers, each service inside its box", () => {
    const view = buildMapView(filterMap(demo(), {}), defaults);
    const boxes = nodes(view.elements).filter((n) => n.kind === "group");
    expect(boxes.map((b) => b.label)).toEqual(["External peers", "billing", "orders", "shop"]);
    expect(byId(nodes(view.elements), "orders/stock").parent).toBe("group:orders");
    expect(byId(nodes(view.elements), "127.0.0.1:6379").parent).toBe("group:(external)");
    expect(view.hiddenCount).toBe(0);
  });

  it("labels edges by rate, error % or p99", () => {
    const model = filterMap(demo(), {});
    const label = (mode: MapViewOptions["labelMode"]) =>
      byId(
        edges(buildMapView(model, { ...defaults, labelMode: mode }).elements),
        "orders/orders->orders/stock",
      ).label;
    expect(label("rate")).toBe("5 req/s");
    expect(label("errors")).toBe("8.3% err");
    expect(label("p99")).toBe("p99 6.20 ms");
    expect(
      edgeLabel("rate", { requestCount: 3, errorCount: 0, rate: 3 / 900, errorRatio: 0, p50Ms: 0, p99Ms: 0 }),
    ).toBe("0.2 req/min");
  });

  it("colours by error rate or by latency", () => {
    const model = filterMap(demo(), {});
    const courier = (mode: MapViewOptions["colorMode"]) =>
      byId(
        edges(buildMapView(model, { ...defaults, colorMode: mode }).elements),
        "orders/orders->orders/courier",
      ).tone;
    expect(courier("errors")).toBe("good");
    expect(courier("latency")).toBe("bad");
    const stock = byId(edges(buildMapView(model, defaults).elements), "orders/orders->orders/stock");
    expect(stock.tone).toBe("bad");
  });

  it("a collapsed namespace is one node whose edges merge the calls in and out", () => {
    const view = buildMapView(filterMap(demo(), {}), { ...defaults, collapsed: new Set(["orders"]) });
    const ids = nodes(view.elements).map((n) => n.id);
    expect(ids).toContain("collapsed:orders");
    expect(ids).not.toContain("orders/stock");
    expect(ids).not.toContain("group:orders");
    expect(byId(nodes(view.elements), "collapsed:orders")).toMatchObject({
      label: "orders (3 services)",
      kind: "namespace",
      memberCount: 3,
      requestCount: 4500 + 4500 + 4140,
    });
    const intoOrders = byId(edges(view.elements), "shop/frontend->collapsed:orders");
    expect(intoOrders.requestCount).toBe(4500);
    // orders → stock and orders → courier are inside the box and leave the map.
    expect(
      edges(view.elements).some((e) => e.source === "collapsed:orders" && e.target === "collapsed:orders"),
    ).toBe(false);
    const toPostgres = byId(edges(view.elements), "collapsed:orders->127.0.0.1:5432");
    expect(toPostgres).toMatchObject({ requestCount: 4500, memberCount: 1 });
  });

  it("find marks matching nodes and edges found and dims the rest", () => {
    const view = buildMapView(filterMap(demo(), {}), {
      ...defaults,
      find: expression("ns=orders AND errors>5%"),
    });
    expect(byId(nodes(view.elements), "orders/stock").match).toBe("found");
    expect(byId(nodes(view.elements), "orders/courier").match).toBe("dimmed");
    expect(byId(edges(view.elements), "orders/orders->orders/stock").match).toBe("found");
    expect(view.foundCount).toBe(3); // stock; orders→stock and frontend→orders (an end in orders, 8% errors)
    const plain = buildMapView(filterMap(demo(), {}), defaults);
    expect(nodes(plain.elements).every((n) => n.match === "")).toBe(true);
  });
});

describe("filterMap", () => {
  it("hide removes matching nodes with their edges, and matching edges", () => {
    const filtered = filterMap(demo(), { hide: expression("kind=external OR p99>400ms") });
    expect(filtered.nodes.map((n) => n.id)).not.toContain("127.0.0.1:5432");
    expect(filtered.nodes.map((n) => n.id)).not.toContain("orders/courier");
    expect(filtered.edges.some((e) => e.target === "127.0.0.1:5432")).toBe(false);
    expect(filtered.edges.map((e) => e.id)).not.toContain("shop/frontend->orders/orders");
    expect(filtered.nodes.map((n) => n.id)).toContain("orders/stock");
    expect(filtered.edges.map((e) => e.id)).toContain("billing/charge->billing/fraud");
  });

  it("unhealthy-only keeps failing or slow edges and the nodes they join", () => {
    const filtered = filterMap(demo(), { unhealthyOnly: true });
    expect(filtered.edges.map((e) => e.id).sort()).toEqual([
      "orders/orders->orders/courier",
      "orders/orders->orders/stock",
      "shop/frontend->orders/orders",
      "shop/loadgen->shop/frontend",
    ]);
    expect(filtered.nodes.map((n) => n.id).sort()).toEqual([
      "orders/courier",
      "orders/orders",
      "orders/stock",
      "shop/frontend",
      "shop/loadgen",
    ]);
  });
});

describe("hidden markers past the node budget", () => {
  /** 400 services in 4 namespaces, each called by a gateway, traffic falling with the index. */
  function wideMap(count: number): MapModel {
    const body = {
      from: "2026-12-08T02:00:00.000Z",
      to: "2026-12-08T02:15:00.000Z",
      nodes: [
        { id: "gateway", label: "gateway", kind: "service", requestCount: 0, errorCount: 0 },
        ...Array.from({ length: count }, (_, i) => ({
          id: `ns${i % 4}/svc-${i}`,
          label: `ns${i % 4}/svc-${i}`,
          kind: "service",
          requestCount: 10_000 - i,
          errorCount: 0,
        })),
      ],
      edges: Array.from({ length: count }, (_, i) => ({
        id: `gateway->ns${i % 4}/svc-${i}`,
        source: "gateway",
        target: `ns${i % 4}/svc-${i}`,
        protocols: ["http"],
        requestCount: 10_000 - i,
        errorCount: 0,
        p50Ms: 1,
        p99Ms: 2,
      })),
    };
    const model = mapModelOf(body);
    if (!model) throw new Error("not a map");
    return model;
  }

  it("keeps the 300 busiest and puts the rest behind one marker per namespace", () => {
    const view = buildMapView(filterMap(wideMap(400), {}), defaults);
    const services = nodes(view.elements).filter((n) => n.kind === "service");
    expect(services).toHaveLength(300);
    expect(view.hiddenCount).toBe(101);
    const markers = nodes(view.elements)
      .filter((n) => n.kind === "hidden")
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(markers.map((m) => [m.id, m.label, m.parent])).toEqual([
      ["hidden:ns0", "25 hidden", "group:ns0"],
      ["hidden:ns1", "25 hidden", "group:ns1"],
      ["hidden:ns2", "25 hidden", "group:ns2"],
      ["hidden:ns3", "26 hidden", "group:ns3"],
    ]);
    expect(byId(edges(view.elements), "gateway->hidden:ns0")).toMatchObject({ memberCount: 25 });
  });

  it("a clicked marker expands its namespace; find matches are never hidden", () => {
    const expanded = buildMapView(filterMap(wideMap(400), {}), { ...defaults, expanded: new Set(["ns1"]) });
    expect(nodes(expanded.elements).some((n) => n.id === "hidden:ns1")).toBe(false);
    expect(nodes(expanded.elements).some((n) => n.id === "ns1/svc-397")).toBe(true);
    const found = buildMapView(filterMap(wideMap(400), {}), {
      ...defaults,
      find: expression("name=ns3/svc-399"),
    });
    expect(byId(nodes(found.elements), "ns3/svc-399").match).toBe("found");
  });

  it("at or under the budget nothing is hidden", () => {
    const view = buildMapView(filterMap(wideMap(299), {}), defaults);
    expect(view.hiddenCount).toBe(0);
    expect(nodes(view.elements).some((n) => n.kind === "hidden")).toBe(false);
  });
});
