import { describe, expect, it } from "vitest";
import diffDemo from "../fixtures/map-diff-demo.json";
import { classifyMapDiff, parseMapDiff, verdictCounts } from "./mapDiff";

const diff = parseMapDiff(diffDemo);
if (!diff) throw new Error("fixture is not a map-diff response");

describe("map diff classification", () => {
  const edges = classifyMapDiff(diff);
  const verdict = (id: string) => edges.find((e) => e.id === id);

  it("reads both ranges, the new and vanished nodes", () => {
    expect(diff.baselineFrom).toBe("2026-12-08T02:00:00.000Z");
    expect(diff.newNodes).toEqual(["billing/fraud"]);
    expect(diff.vanishedNodes).toEqual(["legacy/pricing"]);
    expect(parseMapDiff({ nope: 1 })).toBeUndefined();
  });

  it("names each change: slower, fewer errors, new, vanished, mixed", () => {
    expect(verdict("orders/orders->orders/courier")).toMatchObject({
      verdict: "worse",
      changes: ["slower"],
      p99DeltaMs: 269,
    });
    expect(verdict("orders/orders->orders/stock")).toMatchObject({
      verdict: "better",
      changes: ["fewer errors"],
    });
    expect(verdict("billing/charge->billing/fraud")?.verdict).toBe("new");
    expect(verdict("shop/frontend->legacy/pricing")?.verdict).toBe("vanished");
    expect(verdict("shop/frontend->orders/orders")).toMatchObject({
      verdict: "worse",
      changes: ["slower", "more errors"],
    });
  });

  it("small moves are unchanged: +125% of 0.4 ms is under the 5 ms floor", () => {
    expect(verdict("billing/charge->billing/ledger")).toMatchObject({ verdict: "unchanged", changes: [] });
    expect(verdict("shop/frontend->shop/cart")?.verdict).toBe("unchanged");
  });

  it("regressions first, the biggest p99 change on top; unchanged last", () => {
    expect(edges.map((e) => e.verdict)).toEqual([
      "worse",
      "worse",
      "new",
      "vanished",
      "better",
      "unchanged",
      "unchanged",
    ]);
    expect(edges[0]?.id).toBe("shop/frontend->orders/orders");
    expect(verdictCounts(edges)).toEqual({
      new: 1,
      vanished: 1,
      worse: 2,
      better: 1,
      mixed: 0,
      unchanged: 2,
    });
  });
});
