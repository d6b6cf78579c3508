import cytoscape from "cytoscape";
import { describe, expect, it } from "vitest";
import { applyElementDiff } from "./applyElementDiff";
import { edgeLabelsDrawn, flushStaleLabels, nearExtent } from "./deferredLabels";
import { diffElements } from "./diffElements";
import type { EdgeElement, GraphElement, NodeElement } from "./elements";
import { serviceMapStyle } from "./serviceMapStyle";

const node = (id: string): NodeElement => ({
  group: "nodes",
  data: {
    id,
    label: id,
    kind: "service",
    group: "",
    memberCount: 1,
    requestCount: 1,
    errorCount: 0,
    rate: 1,
    errorRatio: 0,
    p99Ms: 1,
    tone: "good",
    match: "",
  },
});
const edge = (label: string, rate: number, tone: EdgeElement["data"]["tone"] = "good"): EdgeElement => ({
  group: "edges",
  data: {
    id: "a->b",
    source: "a",
    target: "b",
    label,
    protocols: "http",
    requestCount: 1,
    errorCount: 0,
    rate,
    errorRatio: 0,
    p50Ms: 1,
    p99Ms: 2,
    tone,
    match: "",
    memberCount: 1,
    twoWay: false,
  },
});

const hidden = () => false;
const shown = () => true;

type Parsed = { pstyle(name: string): { strValue: string } };

function mapOf(elements: GraphElement[]) {
  const cy = cytoscape({ headless: true, styleEnabled: true, style: serviceMapStyle() });
  applyElementDiff(cy, diffElements([], elements));
  // pstyle is Cytoscape's parsed style (not in its typings): what the renderer draws.
  const drawnLabel = () => String((cy.getElementById("a->b") as unknown as Parsed).pstyle("label").strValue);
  // Styles are computed when first read (as a draw does): read them before any update.
  expect(drawnLabel()).toBe("1 req/s");
  return { cy, drawnLabel };
}

describe("edge labels not drawn now (zoomed out, off screen)", () => {
  it("are drawn from about zoom 0.21 at pixel ratio 1, and sooner on dense screens", () => {
    expect(edgeLabelsDrawn(0.1, 1)).toBe(false);
    expect(edgeLabelsDrawn(0.25, 1)).toBe(true);
    expect(edgeLabelsDrawn(0.125, 2)).toBe(true);
  });

  it("a new label waits for a readable zoom, while the data has it at once", () => {
    const before = [node("a"), node("b"), edge("1 req/s", 1)];
    const { cy, drawnLabel } = mapOf(before);
    const after = [node("a"), node("b"), edge("2 req/s", 2)];
    applyElementDiff(cy, diffElements(before, after), new Map(), hidden);
    expect(cy.getElementById("a->b").data("label")).toBe("2 req/s");
    expect(cy.getElementById("a->b").data("rate")).toBe(2);
    expect(drawnLabel()).toBe("1 req/s");
    expect(flushStaleLabels(cy)).toBe(1);
    expect(drawnLabel()).toBe("2 req/s");
    expect(flushStaleLabels(cy)).toBe(0);
  });

  it("an off-screen label waits for a pan that brings it near the screen", () => {
    const before = [node("a"), node("b"), edge("1 req/s", 1)];
    const { cy, drawnLabel } = mapOf(before);
    const after = [node("a"), node("b"), edge("2 req/s", 2)];
    let onScreen = false;
    applyElementDiff(cy, diffElements(before, after), new Map(), () => onScreen);
    expect(drawnLabel()).toBe("1 req/s");
    expect(flushStaleLabels(cy, () => onScreen)).toBe(0);
    expect(drawnLabel()).toBe("1 req/s");
    onScreen = true;
    expect(flushStaleLabels(cy, () => onScreen)).toBe(1);
    expect(drawnLabel()).toBe("2 req/s");
  });

  it("counts a label as near the screen within half a screen of its edge", () => {
    const extent = { x1: 0, y1: 0, x2: 100, y2: 50 };
    expect(nearExtent({ x: 50, y: 25 }, extent)).toBe(true);
    expect(nearExtent({ x: 149, y: -24 }, extent)).toBe(true);
    expect(nearExtent({ x: 151, y: 25 }, extent)).toBe(false);
    expect(nearExtent({ x: 50, y: 76 }, extent)).toBe(false);
  });

  it("a label that changes with its colour, or while labels show, is drawn at once", () => {
    const before = [node("a"), node("b"), edge("1 req/s", 1)];
    const { cy, drawnLabel } = mapOf(before);
    const recoloured = [node("a"), node("b"), edge("2 req/s", 2, "bad")];
    applyElementDiff(cy, diffElements(before, recoloured), new Map(), hidden);
    expect(drawnLabel()).toBe("2 req/s");
    const busier = [node("a"), node("b"), edge("3 req/s", 3, "bad")];
    applyElementDiff(cy, diffElements(recoloured, busier), new Map(), shown);
    expect(drawnLabel()).toBe("3 req/s");
  });

  it("figures nothing draws reach the data without a restyle", () => {
    const before = [node("a"), node("b"), edge("1 req/s", 1)];
    const { cy } = mapOf(before);
    const busier = structuredClone(before);
    (busier[0] as NodeElement).data.requestCount = 50;
    const diff = diffElements(before, busier);
    expect(diff.update).toEqual([]);
    let restyled = 0;
    cy.on("style", () => restyled++);
    applyElementDiff(cy, diff);
    expect(cy.getElementById("a").data("requestCount")).toBe(50);
    expect(restyled).toBe(0);
  });
});
