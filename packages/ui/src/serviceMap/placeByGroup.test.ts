import { describe, expect, it } from "vitest";
import demoNamespaces from "../fixtures/map-demo-namespaces.json";
import { groupKeyOf } from "./grouping";
import { mapModelOf } from "./mapModel";
import { callDepths, placeByGroup } from "./placeByGroup";
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
    minY: Math.min(...points.map((p) => p.y)),
    maxY: Math.max(...points.map((p) => p.y)),
  };
}

/** Node centres plus half a node box (84×34 at least) on every side: the drawn extent. */
const HALF = { x: 60, y: 20 };

describe("placeByGroup on the demo's namespaces", () => {
  const positions = placeByGroup(new Map(), new Map(), nodes, edges);
  const groups = [...new Set(nodes.map((n) => n.group))];
  const membersOf = (group: string) => nodes.filter((n) => n.group === group).map((n) => n.id);

  it("places every node, no two on one spot", () => {
    expect(positions.size).toBe(nodes.length);
    const spots = new Set([...positions.values()].map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(nodes.length);
  });

  it("namespace boxes do not overlap", () => {
    const boxes = groups.map((g) => ({ g, ...boxOf(positions, membersOf(g)) }));
    for (const a of boxes) {
      for (const b of boxes) {
        if (a.g >= b.g) continue;
        const apart =
          a.maxX + HALF.x < b.minX - HALF.x ||
          b.maxX + HALF.x < a.minX - HALF.x ||
          a.maxY + HALF.y < b.minY - HALF.y ||
          b.maxY + HALF.y < a.minY - HALF.y;
        expect(apart, `${a.g} and ${b.g}`).toBe(true);
      }
    }
  });

  it("callers' namespaces come first in reading order: shop, then orders, then billing", () => {
    const order = groups
      .map((g) => ({ g, ...boxOf(positions, membersOf(g)) }))
      .sort((a, b) => a.minY - b.minY || a.minX - b.minX)
      .map((box) => box.g);
    expect(order.indexOf("shop")).toBeLessThan(order.indexOf("orders"));
    expect(order.indexOf("orders")).toBeLessThan(order.indexOf("billing"));
  });

  it("the drawing keeps roughly the panel's shape rather than one long strip", () => {
    const all = boxOf(
      positions,
      nodes.map((n) => n.id),
    );
    expect((all.maxX - all.minX) / (all.maxY - all.minY)).toBeLessThan(4);
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

describe("callDepths", () => {
  it("counts hops from the services nobody calls", () => {
    const depths = callDepths(edges);
    expect(depths.get("shop/loadgen")).toBe(0);
    expect(depths.get("shop/frontend")).toBe(1);
    expect(depths.get("orders/orders")).toBe(2);
    expect(depths.get("billing/fraud")).toBe(4);
  });
});
