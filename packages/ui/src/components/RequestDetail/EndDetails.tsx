"use client";

// One end of a request in the detail drawer: service, address, process, and
// where it ran (container, namespace, workload, pod, node).
import { useState } from "react";
import { containerShown } from "../../requests/detailFields";
import type { EndpointView } from "../../requests/requestTypes";

export function EndDetails({ title, end }: { title: string; end: EndpointView }) {
  return (
    <dl className="request-detail__end" data-testid={`request-detail-${title.toLowerCase()}-end`}>
      <dt className="request-detail__end-title">{title}</dt>
      <dd>
        <strong>{end.service || "unknown service"}</strong>
      </dd>
      <Item term="Address">
        <span className="mono">{end.ip ? `${end.ip}:${end.port}` : "—"}</span>
      </Item>
      <Item term="Process">
        {end.pid > 0 ? `${end.processName || "?"} (pid ${end.pid})` : "not traced on this end"}
      </Item>
      <Item term="Container">
        <Container end={end} side={title.toLowerCase()} />
      </Item>
      <Item term="Namespace">{end.namespace || "—"}</Item>
      <Item term="Workload">{end.workload || "—"}</Item>
      <Item term="Pod">{end.pod || "—"}</Item>
      <Item term="Node">{end.node || "—"}</Item>
    </dl>
  );
}

/** The short id, the full one in its tooltip and one click away on the clipboard. */
function Container({ end, side }: { end: EndpointView; side: string }) {
  const shown = containerShown(end);
  const [copied, setCopied] = useState<"yes" | "failed" | undefined>();
  if (shown.kind === "none") return <span className="muted">{shown.text}</span>;
  const copy = () => {
    navigator.clipboard.writeText(shown.full).then(
      () => setCopied("yes"),
      () => setCopied("failed"),
    );
  };
  return (
    <span className="request-detail__container">
      <span
        className="mono"
        title={shown.full}
        data-testid={`request-detail-${side}-container`}
        data-container-id={shown.full}
      >
        {shown.short}
      </span>
      <button
        type="button"
        className="request-detail__copy"
        onClick={copy}
        aria-label={`Copy the ${side}'s full container id`}
      >
        {copied === "yes" ? "Copied" : copied === "failed" ? "Copy failed" : "Copy"}
      </button>
    </span>
  );
}

/** One term and its value in the drawer's description lists. */
export function Item({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="request-detail__item">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
