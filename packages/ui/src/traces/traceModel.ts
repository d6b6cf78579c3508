// GET /api/v1/trace/{id} (collector routes/api/v1/trace/schema.ts) parsed, and laid
// out as waterfall rows: each span's offset and width as fractions of the trace,
// depth-first as the API orders them, with its share of the critical path.
import { asObject, readArray, readBoolean, readNumber, readString } from "../api/jsonFields";
import { formatLatency } from "../format/formatLatency";
import { parseRequestView } from "../requests/parseRequestsApi";
import type { RequestView } from "../requests/requestTypes";
import { type CriticalSegment, criticalPath } from "./criticalPath";

export interface TraceSpan {
  spanId: string;
  parentSpanId: string;
  parentInferred: boolean;
  /** "thread": the agent read the parent from the calling thread; "timing": chosen by caller and enclosing time. */
  parentInferredBy: "thread" | "timing" | "";
  /** "connection": the server's own row had no trace context and was matched by connection and time. */
  joinedBy: "span" | "connection";
  depth: number;
  childSpanIds: string[];
  request: RequestView;
  observations: RequestView[];
}

export interface TraceResponse {
  traceId: string;
  from: string;
  to: string;
  requestCount: number;
  truncated: boolean;
  spans: TraceSpan[];
}

function inferredBy(value: string): TraceSpan["parentInferredBy"] {
  return value === "thread" || value === "timing" ? value : "";
}

export function parseTrace(body: unknown): TraceResponse | undefined {
  const root = asObject(body);
  if (!root || !Array.isArray(root.spans)) return undefined;
  const spans = readArray(root, "spans").flatMap((raw): TraceSpan[] => {
    const o = asObject(raw);
    const request = parseRequestView(o?.request);
    if (!o || !request) return [];
    const observations = readArray(o, "observations").flatMap((r) => {
      const view = parseRequestView(r);
      return view ? [view] : [];
    });
    return [
      {
        spanId: readString(o, "spanId"),
        parentSpanId: readString(o, "parentSpanId"),
        parentInferred: readBoolean(o, "parentInferred"),
        parentInferredBy: inferredBy(readString(o, "parentInferredBy")),
        joinedBy: readString(o, "joinedBy") === "connection" ? "connection" : "span",
        depth: readNumber(o, "depth"),
        childSpanIds: readArray(o, "childSpanIds").filter((id): id is string => typeof id === "string"),
        request,
        observations: observations.length > 0 ? observations : [request],
      },
    ];
  });
  return {
    traceId: readString(root, "traceId"),
    from: readString(root, "from"),
    to: readString(root, "to"),
    requestCount: readNumber(root, "requestCount", spans.length),
    truncated: readBoolean(root, "truncated"),
    spans,
  };
}

export interface WaterfallRow {
  span: TraceSpan;
  /** ms from the trace's first start. */
  startMs: number;
  endMs: number;
  /** Fractions of the trace's duration, 0..1, for CSS left/width. */
  offset: number;
  width: number;
  /** This span's stretches of the critical path, as fractions of the trace. */
  critical: { offset: number; width: number }[];
  onCriticalPath: boolean;
  service: string;
  caller: string;
}

export interface Waterfall {
  /** Epoch ms of the first span's start. */
  startEpochMs: number;
  durationMs: number;
  rows: WaterfallRow[];
  segments: CriticalSegment[];
  /** Services that own a span (the server end of a span's request). */
  services: string[];
  /** Callers that own no span: the client of the root, seen only as its caller (e.g. a load generator). */
  outsideCallers: string[];
}

/**
 * Start in ms relative to `origin`, from the nanosecond timestamp: two spans a few
 * µs apart must stay apart, which epoch-ms floats of `time` cannot promise.
 */
function relativeMs(timeUnixNano: string, iso: string, origin: bigint): number {
  if (/^\d+$/.test(timeUnixNano)) return Number(BigInt(timeUnixNano) - origin) / 1e6;
  return Date.parse(iso) - Number(origin / 1_000_000n);
}

function nanosOf(request: RequestView): bigint {
  return /^\d+$/.test(request.timeUnixNano)
    ? BigInt(request.timeUnixNano)
    : BigInt(Date.parse(request.time)) * 1_000_000n;
}

const endpointName = (e: RequestView["server"]) => e.service || e.processName || `${e.ip}:${e.port}`;

export function buildWaterfall(spans: readonly TraceSpan[]): Waterfall {
  if (spans.length === 0)
    return { startEpochMs: 0, durationMs: 0, rows: [], segments: [], services: [], outsideCallers: [] };
  // BigInt has no Math.min; a loop keeps the nanoseconds exact.
  let origin = nanosOf((spans[0] as TraceSpan).request);
  for (const span of spans) {
    const ns = nanosOf(span.request);
    if (ns < origin) origin = ns;
  }
  const timed = spans.map((span) => {
    const startMs = relativeMs(span.request.timeUnixNano, span.request.time, origin);
    return { span, startMs, endMs: startMs + Math.max(0, span.request.durationMs) };
  });
  const durationMs = Math.max(...timed.map((t) => t.endMs), 0);
  const segments = criticalPath(
    timed.map((t) => ({
      spanId: t.span.spanId,
      parentSpanId: t.span.parentSpanId,
      startMs: t.startMs,
      endMs: t.endMs,
    })),
  );
  const scale = durationMs > 0 ? durationMs : 1;
  const bySpan = new Map<string, CriticalSegment[]>();
  for (const s of segments) bySpan.set(s.spanId, [...(bySpan.get(s.spanId) ?? []), s]);
  const rows = timed.map(({ span, startMs, endMs }): WaterfallRow => {
    const mine = bySpan.get(span.spanId) ?? [];
    return {
      span,
      startMs,
      endMs,
      offset: startMs / scale,
      width: (endMs - startMs) / scale,
      critical: mine.map((s) => ({ offset: s.startMs / scale, width: (s.endMs - s.startMs) / scale })),
      onCriticalPath: mine.length > 0,
      service: endpointName(span.request.server),
      caller: endpointName(span.request.client),
    };
  });
  const services = [...new Set(rows.map((r) => r.service))];
  const owners = new Set(services);
  const outsideCallers = [...new Set(rows.map((r) => r.caller).filter((caller) => !owners.has(caller)))];
  return { startEpochMs: Number(origin / 1_000_000n), durationMs, rows, segments, services, outsideCallers };
}

const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * "42.0 ms · 11 spans · 9 services · +1 caller outside the trace". A service counts
 * when it owns a span; the root's caller (a load generator, a browser) is seen
 * only as the client of the first request, so it is named apart.
 */
export function traceHeading(waterfall: Waterfall): string {
  const parts = [
    formatLatency(waterfall.durationMs),
    counted(waterfall.rows.length, "span", "spans"),
    counted(waterfall.services.length, "service", "services"),
  ];
  const outside = waterfall.outsideCallers.length;
  if (outside > 0) parts.push(`+${counted(outside, "caller", "callers")} outside the trace`);
  return parts.join(" · ");
}
