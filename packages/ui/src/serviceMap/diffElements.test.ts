import { describe, expect, it } from "vitest";
import { diffElements } from "./diffElements";
import type { EdgeElement, GraphElement, NodeElement } from "./elements";

function node(id: string, requestCount = 1): NodeElement {
  return {
    group: "nodes",
    data: {
      id,
      label: id,
      kind: "service",
      group: "",
      memberCount: 1,
      requestCount,
      errorCount: 0,
      rate: requestCount / 900,
      errorRatio: 0,
      p99Ms: 2,
      tone: "good",
      match: "",
    },
  };
}

function edge(source: string, target: string, requestCount = 1): EdgeElement {
  return {
    group: "edges",
    data: {
      id: `${source}->${target}`,
      source,
      target,
      label: `${requestCount} req`,
      protocols: "http",
      requestCount,
      errorCount: 0,
      rate: requestCount / 900,
      errorRatio: 0,
      p50Ms: 1,
      p99Ms: 2,
      tone: "good",
      match: "",
      memberCount: 1,
    },
  };
}

const ids = (elements: GraphElement[]) => elements.map((e) => e.data.id);

describe("diffElements", () => {
  it("from nothing, everything is added with nodes before edges", () => {
    const diff = diffElements([], [edge("a", "b"), node("a"), node("b")]);
    expect(ids(diff.add)).toEqual(["a", "b", "a->b"]);
    expect(diff.update).toEqual([]);
    expect(diff.refresh).toEqual([]);
    expect(diff.remove).toEqual([]);
  });

  it("identical snapshots produce an empty diff", () => {
    const snapshot = [node("a"), node("b"), edge("a", "b")];
    const copy = structuredClone(snapshot);
    expect(diffElements(snapshot, copy)).toEqual({ add: [], update: [], refresh: [], remove: [] });
  });

  it("changed counters are updates, not re-adds: restyled when drawn, refreshed when not", () => {
    const diff = diffElements(
      [node("a"), node("b"), edge("a", "b", 5)],
      [node("a"), node("b", 9), edge("a", "b", 6)],
    );
    expect(diff.add).toEqual([]);
    // The edge's label shows its count; the node's count is drawn nowhere.
    expect(ids(diff.update)).toEqual(["a->b"]);
    expect(diff.update[0]?.data).toMatchObject({ requestCount: 6, label: "6 req" });
    expect(ids(diff.refresh)).toEqual(["b"]);
    expect(diff.refresh[0]?.data).toMatchObject({ requestCount: 9 });
  });

  it("a change of tone, match or label is drawn even when the counts stay", () => {
    const before = [node("a"), node("b"), edge("a", "b")];
    const after = structuredClone(before);
    (after[0] as NodeElement).data.tone = "bad";
    (after[1] as NodeElement).data.match = "dimmed";
    (after[2] as EdgeElement).data.label = "p99 3 ms";
    expect(ids(diffElements(before, after).update)).toEqual(["a", "b", "a->b"]);
  });

  it("vanished elements are removed, edges before nodes", () => {
    const diff = diffElements(
      [node("a"), node("b"), node("c"), edge("a", "b"), edge("b", "c")],
      [node("a"), node("b"), edge("a", "b")],
    );
    expect(diff.remove).toEqual(["b->c", "c"]);
    expect(diff.add).toEqual([]);
  });

  it("a mixed change adds, updates and removes at once", () => {
    const diff = diffElements(
      [node("a"), node("b"), edge("a", "b")],
      [node("a", 2), node("c"), edge("a", "c")],
    );
    expect(ids(diff.add)).toEqual(["c", "a->c"]);
    expect(ids(diff.refresh)).toEqual(["a"]);
    expect(diff.remove).toEqual(["a->b", "b"]);
  });
});
