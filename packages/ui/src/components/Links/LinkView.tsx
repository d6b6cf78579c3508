"use client";

import { formatCount } from "../../format/formatCount";
import { formatLatency } from "../../format/formatLatency";
import { parseLink } from "../../links/parseLinks";
import { viewHref } from "../../links/sharedView";
import "./Links.css";
import { useApiResource } from "./useApiResource";

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "—" : date.toLocaleString();
}

/** One incident link: what the sharer wrote, the view it restores, and the data it froze. */
export function LinkView({ id }: { id: string }) {
  const link = useApiResource(`/api/v1/links/${encodeURIComponent(id)}`, parseLink);
  if (link.state === "loading") return <p className="links__muted">Loading the link…</p>;
  if (link.state === "error") {
    return (
      <p className="links__error" role="alert">
        Could not load this link: {link.message}
      </p>
    );
  }
  const value = link.value;
  const href = viewHref(value.view);
  return (
    <article className="links__article" data-testid="link-view">
      <header className="links__head">
        <h1>{value.title || "(untitled incident)"}</h1>
        <p className="links__muted">
          Shared by <strong>{value.createdBy}</strong> on {when(value.createdAt)} · range {when(value.from)} –{" "}
          {when(value.to)}
        </p>
        {href !== undefined && (
          <a className="links__open" href={href} data-testid="link-open-view">
            Open the shared view
          </a>
        )}
      </header>
      {value.notes !== "" && (
        <section aria-labelledby="link-notes">
          <h2 id="link-notes">Notes</h2>
          <p className="links__notes" data-testid="link-notes">
            {value.notes}
          </p>
        </section>
      )}
      {!value.frozen && (
        <p className="links__muted">
          This link does not hold a copy of its data: the view shows what storage still has for its range.
        </p>
      )}
      {value.frozenEdges !== null && (
        <section aria-labelledby="link-map">
          <h2 id="link-map">Service map when shared ({value.frozenEdges.length} calls)</h2>
          <table className="links__table" data-testid="link-frozen-edges">
            <thead>
              <tr>
                <th scope="col">Caller</th>
                <th scope="col">Callee</th>
                <th scope="col">Protocol</th>
                <th scope="col">Requests</th>
                <th scope="col">Errors</th>
                <th scope="col">p50</th>
                <th scope="col">p99</th>
              </tr>
            </thead>
            <tbody>
              {value.frozenEdges.map((edge) => (
                <tr key={`${edge.source}->${edge.target}`}>
                  <td>{edge.source}</td>
                  <td>{edge.target}</td>
                  <td>{edge.protocols.join(", ")}</td>
                  <td>{formatCount(edge.requestCount)}</td>
                  <td>{formatCount(edge.errorCount)}</td>
                  <td>{formatLatency(edge.p50Ms)}</td>
                  <td>{formatLatency(edge.p99Ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {value.frozenRequests !== null && (
        <section aria-labelledby="link-requests">
          <h2 id="link-requests">Requests when shared ({value.frozenRequests.length})</h2>
          <table className="links__table" data-testid="link-frozen-requests">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Client → server</th>
                <th scope="col">Request</th>
                <th scope="col">Status</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {value.frozenRequests.map((request) => (
                <tr key={request.id} className={request.error ? "links__row--error" : undefined}>
                  <td>{when(request.time)}</td>
                  <td>
                    {request.client} → {request.server}
                  </td>
                  <td>
                    {request.protocol} {request.operation} {request.target}
                  </td>
                  <td>{request.status || "—"}</td>
                  <td>{formatLatency(request.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </article>
  );
}
