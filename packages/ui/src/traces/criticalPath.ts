// The critical path of a trace: the spans, and the parts of them, that the trace's
// end waited on. Uber's CRISP, as Jaeger implements it: clip each child to its
// parent, then walk back from the parent's end through the last-finishing child;
// time no child covers is the parent's own. Children that overlap the one chosen
// are skipped — they finished while something later was still running.
// Computed once per trace (Jaeger found per-render work slow on huge traces,
// jaeger-ui #1943), iteratively, so deep traces cannot overflow the stack.

export interface PathSpan {
  spanId: string;
  /** "" for a root; a parent not in the trace makes the span an orphan root. */
  parentSpanId: string;
  startMs: number;
  endMs: number;
}

export interface CriticalSegment {
  spanId: string;
  startMs: number;
  endMs: number;
}

interface Node {
  span: PathSpan;
  start: number;
  end: number;
  children: Node[];
}

const VIRTUAL_ROOT = "\u0000trace";

/**
 * Segments on the critical path, in time order. Several roots (orphans whose parent
 * was never recorded) hang under a virtual root spanning the trace, so the walk
 * picks the last-finishing of them as it does children; the virtual root's own
 * gaps belong to no span and are not returned.
 */
export function criticalPath(spans: readonly PathSpan[]): CriticalSegment[] {
  if (spans.length === 0) return [];
  const nodes = new Map<string, Node>();
  for (const span of spans) {
    if (!nodes.has(span.spanId)) {
      nodes.set(span.spanId, {
        span,
        start: span.startMs,
        end: Math.max(span.startMs, span.endMs),
        children: [],
      });
    }
  }
  const root: Node = {
    span: { spanId: VIRTUAL_ROOT, parentSpanId: "", startMs: 0, endMs: 0 },
    start: Math.min(...[...nodes.values()].map((n) => n.start)),
    end: Math.max(...[...nodes.values()].map((n) => n.end)),
    children: [],
  };
  const inCycle = spansInParentCycles(nodes);
  for (const node of nodes.values()) {
    const parent = nodes.get(node.span.parentSpanId);
    (parent && !inCycle.has(node.span.spanId) ? parent : root).children.push(node);
  }

  const segments: CriticalSegment[] = [];
  // An explicit work list instead of recursion: a walk of one span plans its own
  // sections and its children's walks; the order they run in does not matter,
  // the segments are sorted at the end.
  type Step =
    | { kind: "walk"; node: Node; until: number }
    | { kind: "own"; node: Node; from: number; to: number };
  const steps: Step[] = [{ kind: "walk", node: root, until: root.end }];
  while (steps.length > 0) {
    const step = steps.pop() as Step;
    if (step.kind === "own") {
      if (step.to > step.from && step.node !== root) {
        segments.push({ spanId: step.node.span.spanId, startMs: step.from, endMs: step.to });
      }
      continue;
    }
    const { node, until } = step;
    // Clip children to the parent: a child's time outside its parent cannot delay it.
    const children = node.children
      .map((child) => ({ child, start: Math.max(child.start, node.start), end: Math.min(child.end, until) }))
      .filter((c) => c.end > c.start)
      .sort((a, b) => b.end - a.end || b.start - a.start);
    // Backwards from the window's end: the last-finishing child that ends by the
    // cursor is on the path, and the cursor jumps to its start.
    let cursor = until;
    for (const c of children) {
      if (cursor <= node.start) break;
      if (c.end > cursor) continue; // overlaps the child already on the path
      steps.push({ kind: "own", node, from: c.end, to: cursor });
      steps.push({ kind: "walk", node: { ...c.child, start: c.start, end: c.end }, until: c.end });
      cursor = c.start;
    }
    steps.push({ kind: "own", node, from: node.start, to: cursor });
  }
  return mergeAdjacent(segments.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs));
}

/**
 * Spans whose declared parents lead back to themselves: bad records must not hang
 * the walk, so these become roots. Each span is visited once (linear in the trace).
 */
function spansInParentCycles(nodes: Map<string, Node>): Set<string> {
  const done = new Set<string>();
  const inCycle = new Set<string>();
  for (const start of nodes.keys()) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let id: string | undefined = start;
    while (id !== undefined && nodes.has(id) && !done.has(id)) {
      if (onPath.has(id)) {
        for (const member of path.slice(path.indexOf(id))) inCycle.add(member);
        break;
      }
      path.push(id);
      onPath.add(id);
      id = nodes.get(id)?.span.parentSpanId;
    }
    for (const member of path) done.add(member);
  }
  return inCycle;
}

function mergeAdjacent(segments: CriticalSegment[]): CriticalSegment[] {
  const out: CriticalSegment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (last && last.spanId === s.spanId && last.endMs === s.startMs) last.endMs = s.endMs;
    else out.push({ ...s });
  }
  return out;
}

/** The spans with any time on the path. */
export function criticalSpanIds(segments: readonly CriticalSegment[]): Set<string> {
  return new Set(segments.map((s) => s.spanId));
}
