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

  it("under the budget everything is visible", () => {
    expect(chooseVisible(candidates, 5, none, none).hiddenByGroup.size).toBe(0);
  });
});
