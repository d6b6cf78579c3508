import { describe, expect, it } from "vitest";
import { type Point, placeNewNodes } from "./placeNewNodes";

const SPACING = { x: 100, y: 100 };

function distance(a: Point | undefined, b: Point | undefined): number {
  if (!a || !b) throw new Error("missing point");
  return Math.hypot(a.x - b.x, a.y - b.y);
}

describe("placeNewNodes", () => {
  it("puts a new callee one row below its caller", () => {
    const placed = new Map([["frontend", { x: 0, y: 0 }]]);
    const result = placeNewNodes(placed, ["users"], [{ source: "frontend", target: "users" }], SPACING);
    expect(result.get("users")).toEqual({ x: 0, y: SPACING.y });
  });

  it("puts a new caller one row above its callee", () => {
    const placed = new Map([["users", { x: 0, y: 0 }]]);
    const result = placeNewNodes(placed, ["frontend"], [{ source: "frontend", target: "users" }], SPACING);
    expect(result.get("frontend")).toEqual({ x: 0, y: -SPACING.y });
  });

  it("never lands on an occupied slot: a second callee goes beside the first", () => {
    const placed = new Map([
      ["frontend", { x: 0, y: 0 }],
      ["users", { x: 0, y: SPACING.y }],
    ]);
    const edges = [
      { source: "frontend", target: "users" },
      { source: "frontend", target: "orders" },
    ];
    const orders = placeNewNodes(placed, ["orders"], edges, SPACING).get("orders");
    expect(orders).toEqual({ x: SPACING.x, y: SPACING.y });
  });

  it("returns positions only for new nodes and leaves placed ones alone", () => {
    const placed = new Map([["a", { x: 5, y: 7 }]]);
    const result = placeNewNodes(placed, ["a", "b"], [], SPACING);
    expect([...result.keys()]).toEqual(["b"]);
    expect(placed.get("a")).toEqual({ x: 5, y: 7 });
  });

  it("an unconnected node starts a column right of the drawing", () => {
    const placed = new Map([
      ["a", { x: 0, y: 0 }],
      ["b", { x: 300, y: 200 }],
    ]);
    expect(placeNewNodes(placed, ["lonely"], [], SPACING).get("lonely")).toEqual({ x: 400, y: 0 });
  });

  it("many new nodes around one hub are all kept apart", () => {
    const placed = new Map([["hub", { x: 0, y: 0 }]]);
    const newIds = Array.from({ length: 12 }, (_, i) => `svc-${i}`);
    const edges = newIds.map((id) => ({ source: "hub", target: id }));
    const result = placeNewNodes(placed, newIds, edges, SPACING);
    const all = [...placed.values(), ...result.values()];
    expect(result.size).toBe(12);
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++)
        expect(distance(all[i], all[j])).toBeGreaterThanOrEqual(100 * 0.75);
    }
  });

  it("on an empty map, the root goes on top and its callees share the row below", () => {
    const result = placeNewNodes(
      new Map(),
      ["demo-users", "demo-orders", "demo-frontend"],
      [
        { source: "demo-frontend", target: "demo-users" },
        { source: "demo-frontend", target: "demo-orders" },
        { source: "demo-orders", target: "demo-users" },
      ],
      { x: 200, y: 120 },
    );
    expect(result.get("demo-frontend")).toEqual({ x: 0, y: 0 });
    expect(result.get("demo-users")).toEqual({ x: 0, y: 120 });
    expect(result.get("demo-orders")).toEqual({ x: 200, y: 120 });
  });

  it("a chain of new nodes is placed following its calls", () => {
    const placed = new Map([["a", { x: 0, y: 0 }]]);
    const result = placeNewNodes(
      placed,
      ["c", "b"],
      [
        { source: "a", target: "b" },
        { source: "b", target: "c" },
      ],
      SPACING,
    );
    expect(result.get("b")).toEqual({ x: 0, y: SPACING.y });
    expect(result.get("c")).toEqual({ x: 0, y: 2 * SPACING.y });
  });
});

describe("placeNewNodes keeps calls visible", () => {
  const chain = [
    { source: "frontend", target: "orders" },
    { source: "orders", target: "users" },
    { source: "frontend", target: "users" },
  ];

  it("does not put a node where its edge would run behind another node", () => {
    const placed = new Map([
      ["frontend", { x: 0, y: 0 }],
      ["orders", { x: 0, y: 100 }],
    ]);
    const users = placeNewNodes(placed, ["users"], chain, SPACING).get("users");
    // Straight below orders, frontend→users would be hidden behind orders.
    expect(users).not.toEqual({ x: 0, y: 200 });
    expect(users?.y).toBe(200);
  });

  it("does not put a node on top of an existing edge", () => {
    const placed = new Map([
      ["a", { x: 0, y: 0 }],
      ["b", { x: 0, y: 200 }],
    ]);
    const edges = [
      { source: "a", target: "b" },
      { source: "a", target: "c" },
    ];
    const c = placeNewNodes(placed, ["c"], edges, SPACING).get("c");
    expect(c).toEqual({ x: 100, y: 100 });
  });

  it("the demo workload fetched in the order the API lists it draws every call unobstructed", () => {
    const result = placeNewNodes(new Map(), ["frontend", "orders", "users"], chain, SPACING);
    const frontend = result.get("frontend");
    const orders = result.get("orders");
    const users = result.get("users");
    if (!frontend || !orders || !users) throw new Error("a node was not placed");
    const collinear =
      (frontend.x - users.x) * (orders.y - users.y) - (frontend.y - users.y) * (orders.x - users.x);
    expect(collinear).not.toBe(0);
  });
});
