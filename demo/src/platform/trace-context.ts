// W3C Trace Context (https://www.w3.org/TR/trace-context/) as the demo's services
// carry it: the incoming call's context is kept in AsyncLocalStorage while the
// request is served, and every outgoing call (HTTP header, gRPC metadata, SQL
// comment) gets a traceparent with the same trace id and a fresh span id, which
// is the id of that call. Periscope's agent reads the header on both ends of the
// call, so the client and server observations share the span id.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";

export interface TraceContext {
  traceId: string;
  /** The span of the call being served (the caller's id for it). */
  spanId: string;
  /** Sampled flag and the rest, passed on unchanged. */
  flags: string;
  /** Vendor state (the `tracestate` header), passed on unchanged. */
  state?: string;
}

// version "-" trace-id "-" parent-id "-" trace-flags (§3.2).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;

/** The context a traceparent carries, or undefined when it is missing or invalid (§3.2.2: start a new trace). */
export function parseTraceparent(value: string | undefined, state?: string): TraceContext | undefined {
  if (value === undefined) return undefined;
  const match = TRACEPARENT.exec(value.trim());
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, extra] = match;
  if (version === undefined || traceId === undefined || spanId === undefined || flags === undefined) {
    return undefined;
  }
  // Version ff is invalid; version 00 has exactly four fields; all-zero ids are invalid.
  if (version === "ff" || (version === "00" && extra !== undefined)) return undefined;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return undefined;
  return state === undefined || state === "" ? { traceId, spanId, flags } : { traceId, spanId, flags, state };
}

export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags}`;
}

/** A new trace, sampled: what an edge service does for a request that carried none. */
export function newTrace(): TraceContext {
  return { traceId: randomBytes(16).toString("hex"), spanId: newSpanId(), flags: "01" };
}

/** The context an outgoing call sends: same trace, a span id of its own. */
export function childOf(parent: TraceContext): TraceContext {
  const child: TraceContext = { traceId: parent.traceId, spanId: newSpanId(), flags: parent.flags };
  if (parent.state !== undefined) child.state = parent.state;
  return child;
}

function newSpanId(): string {
  // randomBytes(8) is all-zero with probability 2^-64; still, §3.2.2.4 forbids it.
  let id = randomBytes(8).toString("hex");
  while (ALL_ZERO.test(id)) id = randomBytes(8).toString("hex");
  return id;
}

const current = new AsyncLocalStorage<TraceContext>();

/** Runs `serve` with `context` as the context of the call being served. */
export function withTraceContext<T>(context: TraceContext, serve: () => T): T {
  return current.run(context, serve);
}

/** The context of the call being served, if any. */
export function currentTraceContext(): TraceContext | undefined {
  return current.getStore();
}

/**
 * The context for an outgoing call made now: a child of the call being served,
 * or of a new trace when there is none (the load generator, a timer).
 */
export function outgoingContext(): TraceContext {
  return childOf(current.getStore() ?? newTrace());
}

/** Headers (HTTP) or metadata keys (gRPC) that carry `context`. */
export function traceHeaders(context: TraceContext): Record<string, string> {
  const headers: Record<string, string> = { traceparent: formatTraceparent(context) };
  if (context.state !== undefined) headers.tracestate = context.state;
  return headers;
}
