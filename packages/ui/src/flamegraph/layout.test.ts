import { describe, expect, it } from "vitest";
import { checkoutBefore, indexOf } from "./fixtures";
import { frameAt, layoutFlameGraph } from "./layout";

const tree = checkoutBefore();
const rectOf = (layout: ReturnType<typeof layoutFlameGraph>, index: number) =>
  layout.rects.find((rect) => rect.index === index);

describe("layoutFlameGraph", () => {
  it("draws a flame graph with the root at the bottom, one pixel per sample at 1,000 px", () => {
    const layout = layoutFlameGraph(tree, { width: 1000, rowHeight: 20, orientation: "flame" });
    expect(layout.rows).toBe(7);
    expect(layout.height).toBe(140);
    expect(rectOf(layout, 0)).toEqual({ index: 0, x: 0, y: 120, width: 1000, ancestor: false });
    const gc = rectOf(layout, indexOf(tree, "v8::internal::Heap::CollectGarbage"));
    expect(gc).toMatchObject({ x: 900, y: 100, width: 100 });
    expect(rectOf(layout, indexOf(tree, "JS:*isPrime"))).toMatchObject({ x: 0, y: 20, width: 300 });
    expect(layout.rects.length).toBe(tree.names.length);
  });

  it("draws an icicle with the root at the top", () => {
    const layout = layoutFlameGraph(tree, { width: 1000, rowHeight: 20, orientation: "icicle" });
    expect(rectOf(layout, 0)?.y).toBe(0);
    expect(rectOf(layout, indexOf(tree, "JS:*isPrime"))?.y).toBe(100);
  });

  it("zooms to a frame: it and its subtree fill the width, its ancestors stay full width", () => {
    const handleCheckout = indexOf(tree, "handleCheckout");
    const layout = layoutFlameGraph(tree, {
      width: 900,
      rowHeight: 10,
      orientation: "icicle",
      focus: handleCheckout,
    });
    const shown = layout.rects.map((rect) => tree.names[rect.index]);
    expect(shown).toEqual([
      "total",
      "main",
      "processTicksAndRejections",
      "handleCheckout",
      "JS:*computePrimes",
      "JS:*isPrime",
      "JSON.stringify",
    ]);
    expect(layout.rects.slice(0, 3).every((rect) => rect.ancestor && rect.width === 900)).toBe(true);
    expect(rectOf(layout, handleCheckout)).toMatchObject({ x: 0, width: 900, ancestor: false });
    // computePrimes is 350 of handleCheckout's 450 samples.
    expect(rectOf(layout, indexOf(tree, "JS:*computePrimes"))?.width).toBeCloseTo(700);
    expect(rectOf(layout, indexOf(tree, "JSON.stringify"))).toMatchObject({ x: 700, width: 200 });
    expect(layout.rows).toBe(6);
  });

  it("leaves out frames narrower than the minimum, with their subtrees", () => {
    // 100 px for 1,000 samples: the 60-sample deep walk (6 px) and its child go.
    const layout = layoutFlameGraph(tree, { width: 100, rowHeight: 10, orientation: "flame", minWidth: 7 });
    const shown = new Set(layout.rects.map((rect) => rect.index));
    expect(shown.has(indexOf(tree, "walk", 2))).toBe(false);
    expect(shown.has(indexOf(tree, "JSON.stringify", 1))).toBe(false);
    expect(shown.has(indexOf(tree, "walk", 1))).toBe(true);
    expect(layout.rows).toBe(6);
  });

  it("treats an unknown focus as the root and an empty graph as nothing to draw", () => {
    expect(
      layoutFlameGraph(tree, { width: 10, rowHeight: 1, orientation: "flame", focus: 999 }).rects[0],
    ).toMatchObject({ index: 0, width: 10 });
    const empty = { ...tree, names: ["total"], values: [0], selfs: [0], levels: [0] };
    expect(layoutFlameGraph(empty, { width: 10, rowHeight: 1, orientation: "flame" }).rects).toEqual([]);
  });
});

describe("frameAt", () => {
  it("finds the frame under the pointer", () => {
    const layout = layoutFlameGraph(tree, { width: 1000, rowHeight: 20, orientation: "flame" });
    expect(tree.names[frameAt(layout, 950, 105, 20)?.index ?? -1]).toBe("v8::internal::Heap::CollectGarbage");
    expect(tree.names[frameAt(layout, 10, 25, 20)?.index ?? -1]).toBe("JS:*isPrime");
    // Above the GC frame's two rows there is nothing.
    expect(frameAt(layout, 950, 5, 20)).toBeUndefined();
  });
});
