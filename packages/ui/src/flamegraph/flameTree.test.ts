import { describe, expect, it } from "vitest";
import beforeBody from "../fixtures/flame-checkout-before.json";
import { checkoutBefore, indexOf } from "./fixtures";
import { buildFlameTree, findPath, fromNode, namePath, parseFlameGraph, toNode } from "./flameTree";

describe("parseFlameGraph", () => {
  it("reads the collector's answer", () => {
    const data = parseFlameGraph(beforeBody);
    expect(data?.total).toBe(1000);
    expect(data?.names.length).toBe(19);
    expect(data?.from).toBe("2026-12-08T01:00:00.000Z");
  });

  it.each([
    ["columns of different lengths", { ...beforeBody, selfs: [1] }],
    ["a level that skips down two", { names: ["total", "a"], levels: [0, 2], values: [1, 1], selfs: [0, 1] }],
    ["a second root", { names: ["total", "a"], levels: [0, 0], values: [1, 1], selfs: [1, 1] }],
    ["a name that is not text", { names: ["total", 3], levels: [0, 1], values: [1, 1], selfs: [0, 1] }],
    ["not an object", [1, 2]],
  ])("refuses %s", (_, body) => {
    expect(parseFlameGraph(body)).toBeUndefined();
  });

  it("accepts the empty graph of a range without profiles", () => {
    const data = parseFlameGraph({
      total: 0,
      truncated: false,
      names: ["total"],
      levels: [0],
      values: [0],
      selfs: [0],
    });
    expect(data?.total).toBe(0);
  });
});

describe("buildFlameTree", () => {
  const tree = checkoutBefore();

  it("finds each frame's parent, left offset and subtree end", () => {
    const isPrime = indexOf(tree, "JS:*isPrime");
    const parseBody = indexOf(tree, "parseBody");
    const gc = indexOf(tree, "v8::internal::Heap::CollectGarbage");
    expect(tree.names[tree.parents[isPrime] as number]).toBe("JS:*computePrimes");
    expect(tree.parents[0]).toBe(-1);
    // parseBody follows handleCheckout (450 samples) under processTicksAndRejections.
    expect(tree.starts[parseBody]).toBe(450);
    expect(tree.starts[gc]).toBe(900);
    expect(tree.ends[parseBody]).toBe(parseBody + 2);
    expect(tree.ends[0]).toBe(tree.names.length);
    expect(tree.maxLevel).toBe(6);
    expect(tree.total).toBe(1000);
  });

  it("keeps every frame inside its parent", () => {
    for (let i = 1; i < tree.names.length; i += 1) {
      const parent = tree.parents[i] as number;
      expect(tree.starts[i]).toBeGreaterThanOrEqual(tree.starts[parent] as number);
      expect((tree.starts[i] as number) + (tree.values[i] as number)).toBeLessThanOrEqual(
        (tree.starts[parent] as number) + (tree.values[parent] as number),
      );
    }
  });

  it("addresses a frame by its names, the form the URL keeps", () => {
    const deepWalk = indexOf(tree, "walk", 2);
    const path = namePath(tree, deepWalk);
    expect(path).toEqual(["main", "processTicksAndRejections", "walk", "walk", "walk"]);
    expect(findPath(tree, path)).toBe(deepWalk);
    expect(findPath(tree, ["main", "nope"])).toBe(-1);
    expect(findPath(tree, [])).toBe(0);
  });

  it("round-trips through nodes unchanged", () => {
    const again = fromNode(toNode(tree));
    expect(again.names).toEqual(tree.names);
    expect(again.values).toEqual(tree.values);
    expect(again.selfs).toEqual(tree.selfs);
  });

  it("handles an empty answer", () => {
    expect(buildFlameTree({ names: [], levels: [], values: [], selfs: [] }).total).toBe(0);
  });
});
