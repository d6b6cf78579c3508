import { describe, expect, it } from "vitest";
import { chooseVisible } from "./hiddenMarkers";

const candidates = [
  { id: "a", group: "x", traffic: 50 },
  { id: "b", group: "x", traffic: 10 },
  { id: "c", group: "y", traffic: 30 },
  { id: "d", group: "y", traffic: 30 },
  { id: "e", group: "y", traffic: 1 },
];
const none = new Set<string>();

describe("chooseVisible", () => {
  it("keeps the busiest within the budget, ties broken by id, and hides the rest by group", () => {
    const choice = chooseVisible(candidates, 3, none, none);
    expect([...choice.visible].sort()).toEqual(["a", "c", "d"]);
    expect(choice.hiddenByGroup).toEqual(
      new Map([
        ["x", ["b"]],
        ["y", ["e"]],
      ]),
    );
    expect([...chooseVisible(candidates, 2, none, none).visible].sort()).toEqual(["a", "c"]);
  });

  it("always shows find matches and members of expanded groups, even past the budget", () => {
    const choice = chooseVisible(candidates, 2, new Set(["e"]), new Set(["x"]));
    expect([...choice.visible].sort()).toEqual(["a", "b", "c", "e"]);
    expect(choice.hiddenByGroup).toEqual(new Map([["y", ["d"]]]));
  });

  it("a service already shown keeps its place until a hidden one is twice as busy", () => {
    const shown = new Set(["a", "b"]);
    // c and d (30 each) are busier than b (10 → 20 with its place) and take it…
    expect([...chooseVisible(candidates, 2, none, none, shown).visible].sort()).toEqual(["a", "c"]);
    // …but a rate that wobbles around b's does not: b at 16 vs c and d at 30 stays.
    const wobble = candidates.map((c) => (c.id === "b" ? { ...c, traffic: 16 } : c));
    expect([...chooseVisible(wobble, 2, none, none, shown).visible].sort()).toEqual(["a", "b"]);
    expect([...chooseVisible(wobble, 2, none, none).visible].sort()).toEqual(["a", "c"]);
  });

  it("under the budget everything is visible", () => {
    expect(chooseVisible(candidates, 5, none, none).hiddenByGroup.size).toBe(0);
  });
});
