import { describe, expect, it } from "vitest";
import { checkoutAfter, checkoutBefore } from "./fixtures";
import { findPath } from "./flameTree";
import { isScopeFrame, joinScopedGraphs } from "./scopes";

describe("joinScopedGraphs", () => {
  const joined = joinScopedGraphs([
    {
      scopes: [
        { kind: "namespace", value: "shop" },
        { kind: "service", value: "shop/checkout" },
      ],
      tree: checkoutBefore(),
    },
    {
      scopes: [
        { kind: "namespace", value: "shop" },
        { kind: "service", value: "shop/cart" },
      ],
      tree: checkoutAfter(),
    },
    {
      scopes: [
        { kind: "namespace", value: "billing" },
        { kind: "service", value: "billing/fraud" },
      ],
      tree: checkoutBefore(),
    },
  ]);

  it("splits one graph at the bottom by synthetic scope frames", () => {
    expect(joined.values[0]).toBe(4000);
    const shop = findPath(joined, ["namespace: shop"]);
    expect(joined.values[shop]).toBe(3000);
    expect(joined.values[findPath(joined, ["namespace: shop", "service: shop/cart"])]).toBe(2000);
    expect(joined.values[findPath(joined, ["namespace: billing", "service: billing/fraud"])]).toBe(1000);
  });

  it("puts each service's own frames under its scope frames", () => {
    const isPrime = findPath(joined, [
      "namespace: shop",
      "service: shop/checkout",
      "main",
      "processTicksAndRejections",
      "handleCheckout",
      "JS:*computePrimes",
      "JS:*isPrime",
    ]);
    expect(joined.values[isPrime]).toBe(300);
    expect(joined.selfs[findPath(joined, ["namespace: shop"])]).toBe(0);
  });

  it("merges a graph without scopes at the root", () => {
    const plain = joinScopedGraphs([{ scopes: [], tree: checkoutBefore() }]);
    expect(plain.names).toEqual(checkoutBefore().names);
  });

  it("skips graphs without samples", () => {
    const empty = { ...checkoutBefore(), names: ["total"], levels: [0], values: [0], selfs: [0] };
    expect(joinScopedGraphs([{ scopes: [{ kind: "pid", value: "1" }], tree: empty }]).names).toEqual([
      "total",
    ]);
  });
});

describe("isScopeFrame", () => {
  it.each([
    ["node: worker-1", true],
    ["pod: checkout-7d9", true],
    ["pid: 4242", true],
    ["nodejs::Start", false],
    ["[node] worker-1", true],
    ["[process] node 1234", true],
    ["[k] do_epoll_wait", false],
  ])("%s → %s", (name, expected) => {
    expect(isScopeFrame(name)).toBe(expected);
  });
});
