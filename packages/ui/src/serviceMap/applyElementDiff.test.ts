import cytoscape, { type Core } from "cytoscape";
import { describe, expect, it } from "vitest";
import { parseServiceMap } from "../api/parseServiceMap";
import demoHealthy from "../fixtures/map-demo-healthy.json";
import { applyElementDiff } from "./applyElementDiff";
import { diffElements } from "./diffElements";
import type { GraphElement } from "./elements";
import { shapeServiceMap } from "./shapeServiceMap";

const demo = parseServiceMap(demoHealthy);
if (!demo) throw new Error("fixture is not a map response");
const full = shapeServiceMap(demo);
const withoutOrders = shapeServiceMap({
  ...demo,
  nodes: demo.nodes.filter((n) => n.id !== "demo-orders"),
  edges: demo.edges.filter((e) => e.source !== "demo-orders" && e.target !== "demo-orders"),
});

function liveMap(): { cy: Core; show: (next: GraphElement[]) => void } {
  const cy = cytoscape({ headless: true, styleEnabled: false });
  let current: GraphElement[] = [];
  return {
    cy,
    show(next) {
      applyElementDiff(cy, diffElements(current, next));
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
      e.data.id === "demo-frontend->demo-users" ? { ...e, data: { ...e.data, label: "999 req" } } : e,
    ) as GraphElement[];
    show(busier);
    expect(cy.getElementById("demo-frontend->demo-users").data("label")).toBe("999 req");
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
