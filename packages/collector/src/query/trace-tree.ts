// Shapes one trace's request observations into a span tree.
//
// Both ends of a call carry the same traceparent, so their rows share a span
// id and become one span with two observations. Parents come from
// parent_span_id when the record has it; agents that only see the incoming
// traceparent leave it empty, so a span without a known parent is placed
// under the smallest span that called into its client's service and encloses
// it in time (marked parentInferred, since it is a reading of timing).
import type { RequestView } from "./request-view.js";

export interface TraceSpan {
  spanId: string;
  parentSpanId: string;
  parentInferred: boolean;
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
  parentInferred: boolean;
  children: Draft[];
}

function clientName(view: RequestView): string {
  return view.client.service || view.client.ip;
}

function serverName(view: RequestView): string {
  return view.server.service || `${view.server.ip}:${view.server.port}`;
}

function draftsOf(requests: readonly RequestView[]): Draft[] {
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
      parentInferred: false,
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
export function buildTraceTree(requests: readonly RequestView[]): TraceSpan[] {
  const drafts = draftsOf(requests).sort(byStart);
  const bySpanId = new Map(drafts.map((draft) => [draft.spanId, draft]));
  for (const draft of drafts) {
    const declared = bySpanId.get(draft.declaredParent);
    const parent = declared ?? inferParent(draft, drafts);
    // Malformed ids can point in circles; such a span stays a root.
    if (parent === undefined || createsCycle(draft, parent)) continue;
    draft.parent = parent;
    draft.parentInferred = declared === undefined;
    parent.children.push(draft);
  }
  const ordered: TraceSpan[] = [];
  const visit = (draft: Draft, depth: number) => {
    ordered.push({
      spanId: draft.spanId,
      parentSpanId: draft.parent?.spanId ?? draft.declaredParent,
      parentInferred: draft.parentInferred,
      depth,
      childSpanIds: draft.children.map((child) => child.spanId),
      request: draft.request,
      observations: draft.observations,
    });
    for (const child of draft.children) visit(child, depth + 1);
  };
  for (const root of drafts.filter((draft) => draft.parent === undefined)) visit(root, 0);
  return ordered;
}
