/** W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header). */
export interface TraceParent {
  traceId: string;
  /** The caller's span: the span this HTTP call belongs to. */
  parentSpanId: string;
}

// version "-" trace-id "-" parent-id "-" trace-flags; future versions may append fields (§3.2.4).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;

/** Why a `traceparent` that was present was not used: the record keeps no trace context. */
export type TraceParentRejection = "malformed" | "bad_version" | "zero_id";

/**
 * Rejected `traceparent` values since the agent started, by reason, whichever
 * protocol carried them (HTTP/1, HTTP/2, gRPC, AMQP, Kafka, NATS, SQL comments):
 * the agent's /v1/stats reports them (traceContextRejected).
 */
export const traceParentRejections: Record<TraceParentRejection, number> = {
  malformed: 0,
  bad_version: 0,
  zero_id: 0,
};

function rejected(reason: TraceParentRejection): undefined {
  traceParentRejections[reason] += 1;
  return undefined;
}

export function parseTraceParent(value: string | undefined): TraceParent | undefined {
  if (value === undefined) return undefined;
  const match = TRACEPARENT.exec(value.trim());
  if (match === null) return rejected("malformed");
  const [, version, traceId, parentSpanId, , extra] = match;
  if (version === undefined || traceId === undefined || parentSpanId === undefined)
    return rejected("malformed");
  // Version ff is forbidden; version 00 has exactly four fields; all-zero ids are invalid.
  if (version === "ff" || (version === "00" && extra !== undefined)) return rejected("bad_version");
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentSpanId)) return rejected("zero_id");
  return { traceId, parentSpanId };
}
