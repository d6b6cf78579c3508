import { describe, expect, it } from "vitest";
import { criticalPath, criticalSpanIds } from "./criticalPath";
import {
  CHILD_OVERFLOWS_PARENT,
  NESTED_CALLS,
  ORPHAN_SPAN,
  OVERLAPPING_CALLS,
  PARENT_CYCLE,
  SEQUENTIAL_CALLS,
} from "./criticalPath.fixtures";

const path = (spans: Parameters<typeof criticalPath>[0]) =>
  criticalPath(spans).map((s) => `${s.spanId} ${s.startMs}-${s.endMs}`);

describe("criticalPath", () => {
  it("alternates between the root's own time and each sequential call", () => {
    expect(path(SEQUENTIAL_CALLS)).toEqual([
      "root 0-10",
      "users 10-40",
      "root 40-50",
      "orders 50-90",
      "root 90-100",
    ]);
  });

  it("takes the later-finishing of two parallel calls and skips the one it overlaps", () => {
    expect(path(OVERLAPPING_CALLS)).toEqual([
      "root 0-10",
      "slow 10-80",
      "root 80-85",
      "last 85-95",
      "root 95-100",
    ]);
    expect(criticalSpanIds(criticalPath(OVERLAPPING_CALLS)).has("fast")).toBe(false);
  });

  it("clips a child to its parent's end", () => {
    expect(path(CHILD_OVERFLOWS_PARENT)).toEqual(["root 0-40", "async 40-50"]);
  });

  it("walks an orphan as a root of its own, the last-finishing root leading", () => {
    // The orphan ends last and overlaps the recorded root, so the root is skipped as
    // a parallel child would be.
    expect(path(ORPHAN_SPAN)).toEqual(["orphan 30-120"]);
  });

  it("goes down through grandchildren and back up", () => {
    expect(path(NESTED_CALLS)).toEqual(["orders 0-20", "postgres 20-70", "orders 70-100"]);
  });

  it("treats spans in a parent cycle as roots instead of looping", () => {
    // Both become roots; b ends last and overlaps a, so a is skipped.
    expect(path(PARENT_CYCLE)).toEqual(["b 5-20"]);
  });

  it("is empty for an empty trace and the whole span for a lone one", () => {
    expect(criticalPath([])).toEqual([]);
    expect(path([{ spanId: "only", parentSpanId: "", startMs: 3, endMs: 8 }])).toEqual(["only 3-8"]);
  });

  it("handles a deep chain without recursion limits", () => {
    const deep = Array.from({ length: 20_000 }, (_, i) => ({
      spanId: `s${i}`,
      parentSpanId: i === 0 ? "" : `s${i - 1}`,
      startMs: i,
      endMs: 40_000 - i,
    }));
    const segments = criticalPath(deep);
    expect(segments[0]).toEqual({ spanId: "s0", startMs: 0, endMs: 1 });
    expect(criticalSpanIds(segments).size).toBe(20_000);
  });
});
