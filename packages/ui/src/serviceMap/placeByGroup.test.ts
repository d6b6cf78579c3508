import { describe, expect, it } from "vitest";
import demoNamespaces from "../fixtures/map-demo-namespaces.json";
import { groupKeyOf } from "./grouping";
import { mapModelOf } from "./mapModel";
import { placeByGroup } from "./placeByGroup";
import type { Point } from "./placeNewNodes";

const model = mapModelOf(demoNamespaces);
if (!model) throw new Error("fixture is not a map response");
const nodes = model.nodes.map((n) => ({ id: n.id, group: groupKeyOf(n) }));
const edges = model.edges.map((e) => ({ source: e.source, target: e.target }));

function boxOf(positions: Map<string, Point>, ids: string[]) {
  const points = ids.map((id) => positions.get(id) as Point);
  return {
    minX: Math.min(...points.map((p) => p.x)),
    maxX: Math.max(...points.map((p) => p.x)),
  };
}

describe("placeByGroup on the demo's namespaces", () => {
  const positions = placeByGroup(new Map(), new Map(), nodes, edges);
  const groups = [...new Set(nodes.map((n) => n.group))];
  const membersOf = (group: string) => nodes.filter((n) => n.group === group).map((n) => n.id);

  it("places every node, no two on one spot", () => {
    expect(positions.size).toBe(nodes.length);
    const spots = new Set([...positions.values()].map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(nodes.length);
  });

  it("each namespace occupies its own columns, so the boxes do not overlap", () => {
    const boxes = groups
      .map((g) => ({ g, ...boxOf(positions, membersOf(g)) }))
      .sort((a, b) => a.minX - b.minX);
    for (let i = 1; i < boxes.length; i++) {
      expect(boxes[i]?.minX, `${boxes[i]?.g} right of ${boxes[i - 1]?.g}`).toBeGreaterThan(
        boxes[i - 1]?.maxX ?? 0,
      );
    }
  });

  it("callers' namespaces come first: shop, then orders, then billing", () => {
    const left = (g: string) => boxOf(positions, membersOf(g)).minX;
    expect(left("shop")).toBeLessThan(left("orders"));
    expect(left("orders")).toBeLessThan(left("billing"));
  });

  it("a service joining a namespace on the map goes beside its own, not across the map", () => {
    const withoutCart = placeByGroup(
      new Map(),
      new Map(),
      nodes.filter((n) => n.id !== "shop/cart"),
      edges,
    );
    const groupsNow = new Map(nodes.map((n) => [n.id, n.group]));
    const cart = placeByGroup(withoutCart, groupsNow, [{ id: "shop/cart", group: "shop" }], edges).get(
      "shop/cart",
    );
    const shop = boxOf(
      withoutCart,
      membersOf("shop").filter((id) => id !== "shop/cart"),
    );
    const orders = boxOf(withoutCart, membersOf("orders"));
    expect(cart?.x).toBeLessThan(orders.minX);
    expect(cart?.x).toBeGreaterThanOrEqual(shop.minX);
  });
});
