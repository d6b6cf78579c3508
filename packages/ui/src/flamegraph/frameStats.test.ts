import { describe, expect, it } from "vitest";
import { checkoutBefore, indexOf } from "./fixtures";
import { frameStats, topFunctions } from "./frameStats";
import { joinScopedGraphs } from "./scopes";

const tree = checkoutBefore();

describe("frameStats", () => {
  it("gives self and total with their shares, for the tooltip", () => {
    const stats = frameStats(tree, indexOf(tree, "JS:*computePrimes"));
    expect(stats).toEqual({
      name: "JS:*computePrimes",
      self: 50,
      total: 350,
      selfShare: 0.05,
      totalShare: 0.35,
      parentShare: 350 / 450,
    });
  });

  it("gives the root all samples", () => {
    expect(frameStats(tree, 0)).toMatchObject({ total: 1000, totalShare: 1, parentShare: 1 });
  });
});

describe("topFunctions", () => {
  const top = topFunctions(tree);
  const byName = (name: string) => top.find((row) => row.name === name);

  it("orders functions by self samples", () => {
    expect(top.slice(0, 3).map((row) => row.name)).toEqual([
      "JS:*isPrime",
      "[k] do_epoll_wait",
      "JSON.stringify",
    ]);
  });

  it("merges a function's frames across the graph", () => {
    expect(byName("JSON.stringify")).toEqual({ name: "JSON.stringify", self: 160, total: 160 });
  });

  it("counts recursion once in total", () => {
    expect(byName("walk")).toEqual({ name: "walk", self: 40, total: 100 });
  });

  it("leaves out the root and honours the limit", () => {
    expect(byName("total")).toBeUndefined();
    expect(topFunctions(tree, 2)).toHaveLength(2);
  });

  it("leaves out synthetic scope frames, which are not code", () => {
    const joined = joinScopedGraphs([{ scopes: [{ kind: "service", value: "shop/cart" }], tree }]);
    const names = topFunctions(joined).map((row) => row.name);
    expect(names).not.toContain("service: shop/cart");
    expect(names[0]).toBe("JS:*isPrime");
  });
});
