import { describe, expect, it } from "vitest";
import { type DiffTree, diffFlameTrees, diffKind } from "./diff";
import { checkoutAfter, checkoutBefore } from "./fixtures";

const diff = diffFlameTrees(checkoutBefore(), checkoutAfter()) as DiffTree;
const at = (name: string) => diff.tree.names.indexOf(name);

describe("diffFlameTrees", () => {
  it("normalises each range by its own sample count", () => {
    expect(diff.baselineSamples).toBe(1000);
    expect(diff.comparisonSamples).toBe(2000);
    // GC is 100 of 1,000 and 200 of 2,000: twice the samples, the same share, no change.
    const gc = at("v8::internal::Heap::CollectGarbage");
    expect(diff.baseline.total[gc]).toBe(100);
    expect(diff.comparison.total[gc]).toBe(200);
    expect(diff.delta[gc]).toBeCloseTo(0);
    expect(diffKind(diff.delta[gc] as number)).toBe("unchanged");
  });

  it("marks a frame that takes a larger share as a regression", () => {
    const isPrime = at("JS:*isPrime");
    expect(diff.delta[isPrime]).toBeCloseTo(0.2); // 30 % → 50 %
    expect(diffKind(diff.delta[isPrime] as number)).toBe("regression");
    expect(diff.maxAbsDelta).toBeCloseTo(0.2);
  });

  it("keeps frames that exist only in the baseline, as improvements", () => {
    const parseBody = at("parseBody");
    expect(parseBody).toBeGreaterThan(0);
    expect(diff.comparison.total[parseBody]).toBe(0);
    expect(diff.delta[parseBody]).toBeCloseTo(-0.12);
    expect(diffKind(diff.delta[parseBody] as number)).toBe("improvement");
    // Drawn at the mean of its shares: (12 % + 0 %) / 2.
    expect(diff.tree.values[parseBody]).toBeCloseTo(0.06);
  });

  it("lays the merged tree out with the root as 1 and value = self + children", () => {
    expect(diff.tree.values[0]).toBeCloseTo(1);
    for (let i = 0; i < diff.tree.names.length; i += 1) {
      let children = 0;
      for (let c = i + 1; c < (diff.tree.ends[i] as number); c = diff.tree.ends[c] as number) {
        children += diff.tree.values[c] as number;
      }
      expect((diff.tree.selfs[i] as number) + children).toBeCloseTo(diff.tree.values[i] as number);
    }
  });

  it("cannot compare with a range that has no samples", () => {
    const empty = { ...checkoutBefore(), names: ["total"], levels: [0], values: [0], selfs: [0] };
    expect(diffFlameTrees(empty, checkoutAfter())).toBeUndefined();
  });
});

describe("diff by function", () => {
  it("lists functions by size of change, merged across the graph", () => {
    const top = diff.functions.slice(0, 4).map((row) => [row.name, Number(row.delta.toFixed(3))]);
    expect(top).toEqual([
      ["JS:*computePrimes", 0.2],
      ["JS:*isPrime", 0.2],
      ["handleCheckout", 0.2],
      ["JSON.parse", -0.12],
    ]);
    const walk = diff.functions.find((row) => row.name === "walk");
    // Recursion once: 100 of 1,000 samples, then 100 of 2,000.
    expect(walk).toMatchObject({ baselineShare: 0.1, comparisonShare: 0.05 });
  });
});

describe("diffKind", () => {
  it("ignores changes under half a percentage point", () => {
    expect(diffKind(0.004)).toBe("unchanged");
    expect(diffKind(-0.006)).toBe("improvement");
    expect(diffKind(0.006)).toBe("regression");
  });
});
