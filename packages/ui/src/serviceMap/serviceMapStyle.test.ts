import { describe, expect, it } from "vitest";
import { DRAWN_FIELDS, type GraphElement, markTwoWayEdges } from "./elements";
import { serviceMapStyle } from "./serviceMapStyle";

describe("serviceMapStyle", () => {
  it("reads only data fields listed as drawn, so a change in any other field may skip restyling", () => {
    const read = new Set<string>(["label"]); // nodeWidth sizes a node from its label
    for (const rule of serviceMapStyle()) {
      if (!("style" in rule)) continue;
      for (const match of rule.selector.matchAll(/\[\??(\w+)/g)) read.add(match[1] as string);
      for (const value of Object.values(rule.style)) {
        const field = typeof value === "string" ? /^data\((\w+)\)$/.exec(value)?.[1] : undefined;
        if (field) read.add(field);
      }
    }
    expect([...read].filter((field) => !DRAWN_FIELDS.has(field))).toEqual([]);
    expect(read).toContain("twoWay");
  });

  it("marks calls both ways between two services, and only those, to be drawn curved", () => {
    const edge = (source: string, target: string): GraphElement =>
      ({ group: "edges", data: { id: `${source}->${target}`, source, target } }) as GraphElement;
    const marked = markTwoWayEdges([edge("a", "b"), edge("b", "a"), edge("a", "c"), edge("c", "c")]);
    expect(marked.filter((e) => e.group === "edges" && e.data.twoWay).map((e) => e.data.id)).toEqual([
      "a->b",
      "b->a",
    ]);
  });
});
