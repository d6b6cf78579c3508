// Named span trees for the critical-path tests; times in ms from the trace start.
import type { PathSpan } from "./criticalPath";

const span = (spanId: string, parentSpanId: string, startMs: number, endMs: number): PathSpan => ({
  spanId,
  parentSpanId,
  startMs,
  endMs,
});

/** A frontend that calls two services one after the other. */
export const SEQUENTIAL_CALLS = [
  span("root", "", 0, 100),
  span("users", "root", 10, 40),
  span("orders", "root", 50, 90),
];

/** Two calls in parallel (the later-finishing one is on the path), then a third. */
export const OVERLAPPING_CALLS = [
  span("root", "", 0, 100),
  span("slow", "root", 10, 80),
  span("fast", "root", 20, 60),
  span("last", "root", 85, 95),
];

/** A child whose clock says it ended after its parent (clock skew, or a fire-and-forget call). */
export const CHILD_OVERFLOWS_PARENT = [span("root", "", 0, 50), span("async", "root", 40, 70)];

/** A span whose parent was never recorded, outliving the recorded root. */
export const ORPHAN_SPAN = [span("root", "", 0, 50), span("orphan", "missing-parent", 30, 120)];

/** Grandchildren: the path goes down two levels and back. */
export const NESTED_CALLS = [
  span("root", "", 0, 100),
  span("orders", "root", 0, 100),
  span("postgres", "orders", 20, 70),
];

/** Bad records naming each other as parents must not hang the walk. */
export const PARENT_CYCLE = [span("a", "b", 0, 10), span("b", "a", 5, 20)];
