import { describe, expect, it } from "vitest";
import diffDemo from "../fixtures/map-diff-demo.json";
import type { EdgeData, NodeData } from "./elements";
import { classifyMapDiff, parseMapDiff } from "./mapDiff";
import { baselineRange, buildDiffElements, diffEdgeLabel } from "./mapDiffView";

const diff = parseMapDiff(diffDemo);
if (!diff) throw new Error("fixture is not a map-diff response");
const edges = classifyMapDiff(diff);

describe("map diff overlay", () => {
  const elements = buildDiffElements(diff, edges);
  const edge = (id: string) => elements.find((e) => e.data.id === id)?.data as EdgeData;
  const node = (id: string) => elements.find((e) => e.data.id === id)?.data as NodeData;

  it("colours calls by verdict and labels the change", () => {
    expect(edge("orders/orders->orders/courier")).toMatchObject({
      tone: "bad",
      diff: "worse",
      label: "p99 +269 ms",
    });
    expect(edge("orders/orders->orders/stock")).toMatchObject({
      tone: "good",
      diff: "better",
      label: "errors −7.3 pt",
    });
    expect(edge("shop/frontend->orders/orders").label).toBe("p99 +345 ms · errors +8.3 pt");
    expect(edge("billing/charge->billing/fraud")).toMatchObject({ diff: "new", label: "new" });
    expect(edge("shop/frontend->legacy/pricing")).toMatchObject({ diff: "vanished", label: "vanished" });
  });

  it("marks new and vanished services and boxes them by namespace", () => {
    expect(node("billing/fraud")).toMatchObject({ diff: "new", parent: "group:billing" });
    expect(node("legacy/pricing")).toMatchObject({ diff: "vanished", parent: "group:legacy" });
    expect(node("shop/cart").diff).toBeUndefined();
  });

  it("an unchanged edge has no label", () => {
    const unchanged = edges.find((e) => e.verdict === "unchanged");
    if (!unchanged) throw new Error("fixture has an unchanged edge");
    expect(diffEdgeLabel(unchanged)).toBe("");
  });

  it("baseline presets: the period before, a day before, a week before", () => {
    const from = Date.UTC(2026, 11, 8, 2, 0);
    const to = Date.UTC(2026, 11, 8, 2, 15);
    expect(baselineRange(from, to, "previous")).toEqual({ from: from - 900_000, to: from });
    expect(baselineRange(from, to, "1d")).toEqual({ from: from - 86_400_000, to: to - 86_400_000 });
    expect(baselineRange(from, to, "7d").to).toBe(to - 7 * 86_400_000);
  });
});
