// Shapes one trace's request observations into a span tree.
//
// Both ends of a call carry the same traceparent, so their rows share a span
// id and become one span with two observations. Parents come from
// parent_span_id when the record has it; agents that only see the incoming
// traceparent leave it empty, so a span without a known parent is placed
// under the smallest span that called into its client's service and encloses
// it in time (marked parentInferred, by "timing"). An agent that read a call's
// parent from the thread that made it (thread-per-request servers; the agent's
// tracing/thread-parents.ts) declares it and says so in an attribute: such a
// parent is marked inferred too, by "thread".
import type { RequestView } from "./request-view.js";
import { spanIsError, spanName } from "./span-name.js";

export interface TraceSpan {
  spanId: string;
  parentSpanId: string;
  parentInferred: boolean;
  /** How an inferred parent was chosen: from the calling thread (by the agent), or by timing (here); "" when declared. */
  parentInferredBy: "thread" | "timing" | "";
  /**
   * How the observations were joined: by their shared span id, or — when the
   * server propagated nothing — the server's row found by connection and time
   * (trace-server-ends.ts).
   */
  joinedBy: "span" | "connection";
  /** A parent was declared but is not in the trace (not kept, or not traced), and none could be inferred. */
  orphan: boolean;
  /** The called service (the server end). */
  service: string;
  /** "{method} {route}" with ids templated, never the raw path (span-name.ts). */
  operation: string;
  /** OpenTelemetry's status: a server's 4xx is unset, 5xx and failed calls are errors. */
  status: "unset" | "error";
  startUnixNano: string;
  durationMs: number;
  /** On the trace's critical path (criticalPath below). */
  critical: boolean;
  depth: number;
  childSpanIds: string[];
  /** The observation to show: the client's when both ends were traced. */
  request: RequestView;
  observations: RequestView[];
}

interface Draft {
  spanId: string;
  declaredParent: string;
  request: RequestView;
  observations: RequestView[];
  startNs: bigint;
  endNs: bigint;
  parent?: Draft;
  parentInferredBy: "thread" | "timing" | "";
  /** The agent declared the parent after reading it from the calling thread. */
  declaredFromThread: boolean;
  joinedByConnection: boolean;
  children: Draft[];
}

function clientName(view: RequestView): string {
  return view.client.service || view.client.ip;
}

function serverName(view: RequestView): string {
  return view.server.service || `${view.server.ip}:${view.server.port}`;
}

/** What the trace query learnt beside the rows: ids of requests whose parent an agent read from the calling thread, and of server rows joined by connection. */
export interface TraceHints {
  parentFromThread?: ReadonlySet<string>;
  joinedByConnection?: ReadonlySet<string>;
}

function draftsOf(requests: readonly RequestView[], hints: TraceHints): Draft[] {
  const parentFromThread = hints.parentFromThread ?? new Set<string>();
  const joinedByConnection = hints.joinedByConnection ?? new Set<string>();
  const bySpan = new Map<string, RequestView[]>();
  for (const request of requests) {
    // A record without a span id is its own span, named by its request id.
    const key = request.spanId || `request:${request.id}`;
    const group = bySpan.get(key) ?? [];
    group.push(request);
    bySpan.set(key, group);
  }
  return [...bySpan].map(([spanId, observations]) => {
    observations.sort((a, b) => (a.side === b.side ? 0 : a.side === "client" ? -1 : 1));
    const request = observations[0] as RequestView;
    const startNs = BigInt(request.timeUnixNano);
    return {
      spanId,
      declaredParent: observations.find((o) => o.parentSpanId !== "")?.parentSpanId ?? "",
      request,
      observations,
      startNs,
      endNs: startNs + BigInt(Math.round(request.durationMs * 1_000_000)),
      parentInferredBy: "",
      declaredFromThread: observations.some((o) => parentFromThread.has(o.id)),
      joinedByConnection: observations.some((o) => joinedByConnection.has(o.id)),
      children: [],
    };
  });
}

function encloses(outer: Draft, inner: Draft): boolean {
  if (outer === inner || outer.startNs > inner.startNs || outer.endNs < inner.endNs) return false;
  const outerLength = outer.endNs - outer.startNs;
  const innerLength = inner.endNs - inner.startNs;
  // Equal intervals: a fixed tie-break so two spans never adopt each other.
  return outerLength > innerLength || (outerLength === innerLength && outer.spanId < inner.spanId);
}

function inferParent(span: Draft, all: readonly Draft[]): Draft | undefined {
  const caller = clientName(span.request);
  let best: Draft | undefined;
  for (const candidate of all) {
    if (serverName(candidate.request) !== caller || !encloses(candidate, span)) continue;
    if (best === undefined || candidate.endNs - candidate.startNs < best.endNs - best.startNs)
      best = candidate;
  }
  return best;
}

function createsCycle(span: Draft, parent: Draft): boolean {
  for (let at: Draft | undefined = parent; at !== undefined; at = at.parent) if (at === span) return true;
  return false;
}

function byStart(a: Draft, b: Draft): number {
  return a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : a.spanId.localeCompare(b.spanId);
}

/** Spans in depth-first order (parents before children, siblings by start time). */
export function buildTraceTree(requests: readonly RequestView[], hints: TraceHints = {}): TraceSpan[] {
  const drafts = draftsOf(requests, hints).sort(byStart);
  const bySpanId = new Map(drafts.map((draft) => [draft.spanId, draft]));
  for (const draft of drafts) {
    const declared = bySpanId.get(draft.declaredParent);
    const parent = declared ?? inferParent(draft, drafts);
    // Malformed ids can point in circles; such a span stays a root.
    if (parent === undefined || createsCycle(draft, parent)) continue;
    draft.parent = parent;
    draft.parentInferredBy = declared === undefined ? "timing" : draft.declaredFromThread ? "thread" : "";
    parent.children.push(draft);
  }
  const ordered: TraceSpan[] = [];
  const visit = (draft: Draft, depth: number) => {
    const { request } = draft;
    ordered.push({
      spanId: draft.spanId,
      parentSpanId: draft.parent?.spanId ?? draft.declaredParent,
      parentInferred: draft.parentInferredBy !== "",
      parentInferredBy: draft.parentInferredBy,
      joinedBy: draft.joinedByConnection ? "connection" : "span",
      orphan: draft.parent === undefined && draft.declaredParent !== "",
      service: serverName(request),
      operation: spanName(request.protocol, request.operation, request.target),
      status: spanIsError(request.protocol, request.side, request.status, request.error) ? "error" : "unset",
      startUnixNano: draft.startNs.toString(),
      durationMs: request.durationMs,
      critical: false,
      depth,
      childSpanIds: draft.children.map((child) => child.spanId),
      request: draft.request,
      observations: draft.observations,
    });
    for (const child of draft.children) visit(child, depth + 1);
  };
  const roots = drafts.filter((draft) => draft.parent === undefined);
  for (const root of roots) visit(root, 0);
  const critical = new Set(criticalPath(roots));
  for (const span of ordered) span.critical = critical.has(span.spanId);
  return ordered;
}

/**
 * The critical path, as Uber's CRISP walks it: from the end of the root that
 * finishes last, back through the child that finished last before that
 * point, that child's own critical path, then the child that finished last
 * before the previous one started, and so on. What is on it is what made the
 * trace as long as it was; shortening anything else would not have helped.
 */
function criticalPath(roots: readonly Draft[]): string[] {
  let last: Draft | undefined;
  for (const root of roots) if (last === undefined || root.endNs > last.endNs) last = root;
  const path: string[] = [];
  const walk = (span: Draft) => {
    path.push(span.spanId);
    let cursor = span.endNs;
    let first = true;
    const children = [...span.children].sort((a, b) => (a.endNs > b.endNs ? -1 : a.endNs < b.endNs ? 1 : 0));
    for (const child of children) {
      // The last-finishing child counts even when it ends after its parent (clock skew between hosts)…
      if (child.startNs >= cursor) continue;
      // …each one after it must have finished before the previous one started (CRISP's happens-before):
      // one that overlaps it ran in parallel, and shortening it would not have shortened the trace.
      if (!first && child.endNs > cursor) continue;
      walk(child);
      cursor = child.startNs;
      first = false;
    }
  };
  if (last !== undefined) walk(last);
  return path;
}
