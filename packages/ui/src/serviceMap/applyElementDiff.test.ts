import cytoscape, { type Core } from "cytoscape";
import { describe, expect, it } from "vitest";
import demoHealthy from "../fixtures/map-demo-healthy.json";
import demoNamespaces from "../fixtures/map-demo-namespaces.json";
import { applyElementDiff } from "./applyElementDiff";
import { diffElements } from "./diffElements";
import type { GraphElement } from "./elements";
import { filterMap } from "./mapFilters";
import { type MapModel, mapModelOf } from "./mapModel";
import { buildMapView, type MapViewOptions } from "./mapView";
import type { Point } from "./placeNewNodes";

function model(body: unknown): MapModel {
  const map = mapModelOf(body);
  if (!map) throw new Error("fixture is not a map response");
  return map;
}
const options: MapViewOptions = {
  labelMode: "rate",
  colorMode: "errors",
  collapsed: new Set(),
  expanded: new Set(),
};
const shape = (map: MapModel, extra: Partial<MapViewOptions> = {}) =>
  buildMapView(filterMap(map, {}), { ...options, ...extra }).elements;

const demo = model(demoHealthy);
const full = shape(demo);
const withoutOrders = shape({
  ...demo,
  nodes: demo.nodes.filter((n) => n.id !== "demo-orders"),
  edges: demo.edges.filter((e) => e.source !== "demo-orders" && e.target !== "demo-orders"),
});

function liveMap(remembered?: Map<string, Point>): { cy: Core; show: (next: GraphElement[]) => void } {
  const cy = cytoscape({ headless: true, styleEnabled: false });
  let current: GraphElement[] = [];
  return {
    cy,
    show(next) {
      applyElementDiff(cy, diffElements(current, next), remembered);
      current = next;
    },
  };
}

const ids = (cy: Core, selector: string) =>
  cy
    .elements(selector)
    .map((e) => e.id())
    .sort();

describe("applyElementDiff on a live Cytoscape instance", () => {
  it("first snapshot adds every node and edge and lays them out apart", () => {
    const { cy, show } = liveMap();
    show(full);
    expect(ids(cy, "node")).toEqual(["demo-frontend", "demo-orders", "demo-users"]);
    expect(ids(cy, "edge")).toEqual([
      "demo-frontend->demo-orders",
      "demo-frontend->demo-users",
      "demo-orders->demo-users",
    ]);
    const positions = cy.nodes().map((n) => `${Math.round(n.position().x)},${Math.round(n.position().y)}`);
    expect(new Set(positions).size).toBe(3);
  });

  it("a new node is placed without moving the nodes already there", () => {
    const { cy, show } = liveMap();
    show(withoutOrders);
    const before = cy.nodes().map((n) => [n.id(), { ...n.position() }] as const);
    show(full);
    for (const [id, position] of before) expect(cy.getElementById(id).position()).toEqual(position);
    const orders = cy.getElementById("demo-orders").position();
    for (const [, position] of before)
      expect(Math.hypot(orders.x - position.x, orders.y - position.y)).toBeGreaterThan(50);
  });

  it("updates change data in place and keep positions", () => {
    const { cy, show } = liveMap();
    show(full);
    const position = { ...cy.getElementById("demo-users").position() };
    const busier = full.map((e) =>
      e.data.id === "demo-frontend->demo-users" ? { ...e, data: { ...e.data, label: "999 req/s" } } : e,
    ) as GraphElement[];
    show(busier);
    expect(cy.getElementById("demo-frontend->demo-users").data("label")).toBe("999 req/s");
    expect(cy.getElementById("demo-users").position()).toEqual(position);
  });

  it("vanished services disappear with their edges", () => {
    const { cy, show } = liveMap();
    show(full);
    show(withoutOrders);
    expect(ids(cy, "node")).toEqual(["demo-frontend", "demo-users"]);
    expect(ids(cy, "edge")).toEqual(["demo-frontend->demo-users"]);
  });
});

describe("applyElementDiff with namespace boxes", () => {
  const namespaces = model(demoNamespaces);

  it("services sit in their namespace's compound node", () => {
    const { cy, show } = liveMap();
    show(shape(namespaces));
    expect(cy.getElementById("orders/stock").parent()[0]?.id()).toBe("group:orders");
    expect(cy.getElementById("group:orders").isParent()).toBe(true);
  });

  it("collapsing and expanding a namespace leaves the other services where they were", () => {
    const { cy, show } = liveMap();
    show(shape(namespaces));
    const cart = { ...cy.getElementById("shop/cart").position() };
    show(shape(namespaces, { collapsed: new Set(["orders"]) }));
    expect(ids(cy, "node").filter((id) => id.startsWith("orders/"))).toEqual([]);
    expect(cy.getElementById("collapsed:orders").length).toBe(1);
    expect(cy.getElementById("shop/cart").position()).toEqual(cart);
    show(shape(namespaces));
    expect(cy.getElementById("orders/stock").parent()[0]?.id()).toBe("group:orders");
    expect(cy.getElementById("shop/cart").position()).toEqual(cart);
  });

  it("a remembered position wins over a computed one (a reload draws the map where it was)", () => {
    const { cy, show } = liveMap(new Map([["shop/cart", { x: 1234, y: -56 }]]));
    show(shape(namespaces));
    expect(cy.getElementById("shop/cart").position()).toEqual({ x: 1234, y: -56 });
  });
});
