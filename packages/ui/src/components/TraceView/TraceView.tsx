"use client";

// One trace as a waterfall across services, its critical path highlighted (computed
// once per trace in traces/criticalPath.ts). Each span opens its request in the same
// detail drawer the requests explorer uses, through the `request` URL parameter.
import Link from "next/link";
import { useCallback, useMemo } from "react";
import { formatLatency } from "../../format/formatLatency";
import { useFrame } from "../../frame/useFrame";
import { operationAndTarget } from "../../requests/detailFields";
import { buildWaterfall, parseTrace, traceHeading, type WaterfallRow } from "../../traces/traceModel";
import { RequestDetailDrawer } from "../RequestDetail/RequestDetailDrawer";
import { useApiJson } from "../RequestExplorer/useApiJson";
import "../RequestTable/RequestTable.css";
// The page frame, card and button looks the two pages share.
import "../RequestExplorer/RequestExplorer.css";
import "./TraceView.css";

const TRACE_ID = /^[0-9a-fA-F]{32}$/;
const TICKS = [0, 0.25, 0.5, 0.75, 1];

export function TraceView({ traceId }: { traceId: string }) {
  const frame = useFrame();
  const valid = TRACE_ID.test(traceId);
  // No range: the collector finds the trace through its trace index (else the last 24 h).
  const trace = useApiJson(valid ? `/api/v1/trace/${traceId.toLowerCase()}` : undefined, parseTrace);
  const waterfall = useMemo(() => buildWaterfall(trace.data?.spans ?? []), [trace.data]);
  const openId = frame.params.get("request") ?? "";
  const open = useCallback((id: string) => frame.setParams({ request: id }), [frame]);
  const close = useCallback(() => frame.setParams({ request: undefined }), [frame]);

  return (
    <main className="trace-view">
      <header className="trace-view__title">
        <h1>
          Trace <span className="mono">{traceId}</span>
        </h1>
        <Link href={`/requests?traceId=${traceId.toLowerCase()}&range=24h`}>List its requests</Link>
      </header>
      {!valid ? (
        <p className="trace-view__message" role="alert" data-testid="trace-error">
          “{traceId}” is not a trace id: W3C trace ids are 32 hexadecimal digits.
        </p>
      ) : trace.error && !trace.data ? (
        <p className="trace-view__message" role="alert" data-testid="trace-error">
          {trace.error.startsWith("HTTP 404")
            ? "No requests of this trace are stored (expired, or never recorded)."
            : "Could not load the trace:"}{" "}
          <span className="mono">{trace.error}</span>
        </p>
      ) : !trace.data ? (
        <p className="trace-view__message muted">Loading trace…</p>
      ) : (
        <section className="card trace-view__card" aria-labelledby="waterfall-title">
          <header className="card__header">
            <h2 id="waterfall-title" className="card__title">
              <span
                title={
                  waterfall.outsideCallers.length > 0
                    ? `outside the trace: ${waterfall.outsideCallers.join(", ")}`
                    : undefined
                }
              >
                {traceHeading(waterfall)}
              </span>
            </h2>
            <span className="card__meta">
              <span className="trace-view__legend-critical" aria-hidden="true" /> critical path ·{" "}
              <span className="trace-view__inferred">inferred</span> = parent chosen by timing, not recorded
            </span>
          </header>
          {trace.data.truncated ? (
            <p className="trace-view__message" role="status">
              This trace has more requests than one page shows; the waterfall holds the first{" "}
              {trace.data.spans.length}.
            </p>
          ) : null}
          <table className="waterfall" aria-label="Spans of the trace" data-testid="trace-waterfall">
            <thead>
              <tr className="waterfall__row--head">
                <th scope="col" className="waterfall__label">
                  Span
                </th>
                <th scope="col">
                  <div className="waterfall__track">
                    {TICKS.map((t) => (
                      <span
                        key={t}
                        className="waterfall__tick"
                        // The end labels stay inside the track: anchored at their outer edge.
                        style={{ left: `${t * 100}%`, transform: `translateX(-${t * 100}%)` }}
                      >
                        {formatLatency(t * waterfall.durationMs)}
                      </span>
                    ))}
                  </div>
                </th>
              </tr>
            </thead>
            <tbody>
              {waterfall.rows.map((row) => (
                <SpanRow
                  key={row.span.spanId}
                  row={row}
                  selected={row.span.request.id === openId}
                  onOpen={open}
                />
              ))}
            </tbody>
          </table>
        </section>
      )}
      {openId ? <RequestDetailDrawer id={openId} onClose={close} /> : null}
    </main>
  );
}

function SpanRow({
  row,
  selected,
  onOpen,
}: {
  row: WaterfallRow;
  selected: boolean;
  onOpen(id: string): void;
}) {
  const { span } = row;
  const request = span.request;
  return (
    <tr
      className={selected ? "is-selected" : undefined}
      data-testid="trace-span"
      data-span-id={span.spanId}
      data-critical={row.onCriticalPath}
      data-inferred={span.parentInferred}
    >
      <td className="waterfall__label" style={{ paddingLeft: `${8 + span.depth * 14}px` }}>
        <button type="button" className="waterfall__open" onClick={() => onOpen(request.id)}>
          <span className="waterfall__service">{row.service}</span>{" "}
          <span className="muted">{operationAndTarget(request.operation, request.target)}</span>
        </button>
        {span.parentInferred ? (
          <span
            className="trace-view__inferred"
            data-inferred-by={span.parentInferredBy}
            title={
              span.parentInferredBy === "thread"
                ? "no trace context was propagated; the agent saw this call made by the thread that was serving its parent"
                : "no parent span id was recorded; the parent was chosen by caller and enclosing time"
            }
          >
            {span.parentInferredBy === "thread" ? "inferred from thread" : "inferred"}
          </span>
        ) : null}
        {span.joinedBy === "connection" ? (
          <span
            className="trace-view__inferred"
            data-testid="trace-span-joined-by-connection"
            title="the server propagated no trace context: its own observation was matched to this call by connection and time"
          >
            server joined by connection
          </span>
        ) : null}
      </td>
      <td>
        <div className="waterfall__track">
          <span
            className={`waterfall__bar${request.error ? " has-error" : ""}`}
            style={{ left: `${row.offset * 100}%`, width: `max(2px, ${row.width * 100}%)` }}
            title={`${row.caller} → ${row.service}: ${formatLatency(request.durationMs)}, starts at +${formatLatency(row.startMs)}`}
          />
          {row.critical.map((c) => (
            <span
              key={c.offset}
              className="waterfall__critical"
              style={{ left: `${c.offset * 100}%`, width: `max(2px, ${c.width * 100}%)` }}
            />
          ))}
          <span className="waterfall__duration mono">{formatLatency(request.durationMs)}</span>
        </div>
      </td>
    </tr>
  );
}
