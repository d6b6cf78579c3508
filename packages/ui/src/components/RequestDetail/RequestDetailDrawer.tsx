"use client";

// A request's detail over the page that led to it (its id is the `request` URL
// parameter): both observations, headers, the statement or command, status, timing,
// sizes, both ends down to process, pod and node, the TCP health of its connection,
// and a link to its trace.
import Link from "next/link";
import { useEffect, useRef } from "react";
import { formatLatency } from "../../format/formatLatency";
import { connectionHealthOf, connectionsApiParams } from "../../requests/connectionHealth";
import { formatBytes, groupAttributes, operationAndTarget, targetLabel } from "../../requests/detailFields";
import { parseConnections, parseRequestDetail } from "../../requests/parseRequestsApi";
import type { RequestDetailView } from "../../requests/requestTypes";
import { useApiJson } from "../RequestExplorer/useApiJson";
import { statusText, statusTone } from "../RequestTable/statusTone";
import { ConnectionHealthPanel } from "./ConnectionHealthPanel";
import { EndDetails, Item } from "./EndDetails";
import "./RequestDetailDrawer.css";

export interface RequestDetailDrawerProps {
  id: string;
  onClose(): void;
}

export function RequestDetailDrawer({ id, onClose }: RequestDetailDrawerProps) {
  const detail = useApiJson(`/api/v1/requests/${encodeURIComponent(id)}`, parseRequestDetail);
  const request = detail.data?.request;
  const connections = useApiJson(
    request ? `/api/v1/connections?${connectionsApiParams(request)}` : undefined,
    parseConnections,
  );
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeButton.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  return (
    <aside
      className="request-detail"
      role="dialog"
      aria-labelledby="request-detail-title"
      data-testid="request-detail"
    >
      <header className="request-detail__header">
        <h2 id="request-detail-title">
          {request ? operationAndTarget(request.operation, request.target) || request.protocol : "Request"}
        </h2>
        <button
          ref={closeButton}
          type="button"
          className="button"
          onClick={onClose}
          aria-label="Close request detail"
        >
          ✕
        </button>
      </header>
      {detail.error && !request ? (
        <p className="request-detail__error" role="alert">
          Could not load this request: {detail.error}
        </p>
      ) : !request ? (
        <p className="muted">Loading request…</p>
      ) : (
        <div className="request-detail__body">
          <Summary request={request} />
          <Section title={targetLabel(request.protocol)}>
            <pre className="request-detail__target mono" data-testid="request-detail-target">
              {request.target || "—"}
            </pre>
          </Section>
          <Section title={`Observations (${detail.data?.observations.length ?? 1})`}>
            <Observations observations={detail.data?.observations ?? [request]} />
          </Section>
          <Section title="Ends">
            <div className="request-detail__ends">
              <EndDetails title="Client" end={request.client} />
              <EndDetails title="Server" end={request.server} />
            </div>
          </Section>
          <Attributes observations={detail.data?.observations ?? [request]} />
          <Section title="TCP connection">
            <ConnectionHealthPanel
              health={connections.data ? connectionHealthOf(request, connections.data) : undefined}
              loading={connections.loading}
              error={connections.error}
            />
          </Section>
        </div>
      )}
    </aside>
  );
}

function Summary({ request }: { request: RequestDetailView }) {
  const tone = statusTone(request);
  return (
    <dl className="request-detail__summary">
      <Item term="Status">
        <span className={`status status--${tone}`} data-testid="request-detail-status">
          {statusText(request)}
        </span>
        {request.error ? " (error)" : ""}
      </Item>
      <Item term="Duration">{formatLatency(request.durationMs)}</Item>
      <Item term="Started">
        <time dateTime={request.time}>{request.time.replace("T", " ").replace("Z", " UTC")}</time>
      </Item>
      <Item term="Protocol">{request.protocol}</Item>
      <Item term="Sizes">
        {formatBytes(request.requestBytes)} sent · {formatBytes(request.responseBytes)} received
      </Item>
      <Item term="Sampling">
        {request.sampleWeight > 1
          ? `stands for ≈ ${request.sampleWeight.toFixed(1)} requests`
          : "kept unsampled"}
      </Item>
      <Item term="Trace">
        {request.traceId ? (
          <Link href={`/traces/${request.traceId}`} data-testid="request-detail-trace-link" className="mono">
            {request.traceId}
          </Link>
        ) : (
          <span className="muted">no trace context on this request</span>
        )}
      </Item>
      {request.spanId ? (
        <Item term="Span">
          <span className="mono">{request.spanId}</span>
          {request.parentSpanId ? <span className="muted mono"> ← {request.parentSpanId}</span> : null}
        </Item>
      ) : null}
    </dl>
  );
}

function Observations({ observations }: { observations: RequestDetailView[] }) {
  return (
    <table className="request-detail__table" data-testid="request-detail-observations">
      <thead>
        <tr>
          <th scope="col">Side</th>
          <th scope="col">Agent</th>
          <th scope="col">Status</th>
          <th scope="col" className="numeric">
            Duration
          </th>
          <th scope="col" className="numeric">
            Sent
          </th>
          <th scope="col" className="numeric">
            Received
          </th>
        </tr>
      </thead>
      <tbody>
        {observations.map((o) => (
          <tr key={o.id}>
            <td>
              {o.side}
              {o.truncated ? <span className="muted"> (truncated capture)</span> : null}
            </td>
            <td className="mono">{o.agentId || "—"}</td>
            <td>{statusText(o)}</td>
            <td className="numeric mono">{formatLatency(o.durationMs)}</td>
            <td className="numeric">{formatBytes(o.requestBytes)}</td>
            <td className="numeric">{formatBytes(o.responseBytes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Attributes({ observations }: { observations: RequestDetailView[] }) {
  return (
    <>
      {observations.map((o) => {
        const grouped = groupAttributes(o.attributes);
        const label = observations.length > 1 ? ` (${o.side})` : "";
        return (
          <div key={o.id}>
            <Section title={`Request headers${label}`}>
              <Pairs pairs={grouped.requestHeaders} empty="none captured" />
            </Section>
            <Section title={`Response headers${label}`}>
              <Pairs pairs={grouped.responseHeaders} empty="none captured" />
            </Section>
            {grouped.other.length > 0 ? (
              <Section title={`Attributes${label}`}>
                <Pairs pairs={grouped.other} empty="" />
              </Section>
            ) : null}
          </div>
        );
      })}
    </>
  );
}

function Pairs({ pairs, empty }: { pairs: [string, string][]; empty: string }) {
  if (pairs.length === 0) return <p className="muted">{empty}</p>;
  return (
    <dl className="request-detail__pairs">
      {pairs.map(([key, value]) => (
        <div key={key}>
          <dt className="mono">{key}</dt>
          <dd className="mono">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="request-detail__section">
      <h3>{title}</h3>
      {children}
    </section>
  );
}
