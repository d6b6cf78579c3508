import { describe, expect, it } from "vitest";
import { checkoutBefore } from "./fixtures";
import type { FlameTree } from "./flameTree";
import { buildSandwich } from "./sandwich";

const tree = checkoutBefore();

/** "name:value" per frame, indented by level: a tree a reader can check by eye. */
function outline(graph: FlameTree): string[] {
  return graph.names.map((name, i) => `${"  ".repeat(graph.levels[i] as number)}${name}:${graph.values[i]}`);
}

describe("buildSandwich", () => {
  it("merges a function's callers from every place it occurs", () => {
    const sandwich = buildSandwich(tree, "JSON.stringify");
    expect(sandwich?.occurrences).toBe(2);
    expect(sandwich?.total).toBe(160);
    expect(outline(sandwich?.callers as FlameTree)).toEqual([
      "JSON.stringify:160",
      "  handleCheckout:100",
      "    processTicksAndRejections:100",
      "      main:100",
      "  walk:60",
      "    walk:60",
      "      walk:60",
      "        processTicksAndRejections:60",
      "          main:60",
    ]);
    expect(outline(sandwich?.callees as FlameTree)).toEqual(["JSON.stringify:160"]);
  });

  it("counts a recursive function once: its outermost call", () => {
    const sandwich = buildSandwich(tree, "walk");
    expect(sandwich?.occurrences).toBe(1);
    expect(outline(sandwich?.callees as FlameTree)).toEqual([
      "walk:100",
      "  walk:100",
      "    walk:60",
      "      JSON.stringify:60",
    ]);
    expect(outline(sandwich?.callers as FlameTree)).toEqual([
      "walk:100",
      "  processTicksAndRejections:100",
      "    main:100",
    ]);
  });

  it("keeps value = self + children in the callers tree (the stacks' first caller holds the self)", () => {
    const callers = buildSandwich(tree, "JSON.stringify")?.callers as FlameTree;
    for (let i = 0; i < callers.names.length; i += 1) {
      let children = 0;
      for (let c = i + 1; c < (callers.ends[i] as number); c = callers.ends[c] as number)
        children += callers.values[c] as number;
      expect((callers.selfs[i] as number) + children).toBe(callers.values[i]);
    }
  });

  it("is undefined for a function not in the graph", () => {
    expect(buildSandwich(tree, "nope")).toBeUndefined();
  });
});
