import type { RequestRecord } from "../../api/types";
import { formatEndpoint } from "../../format/formatEndpoint";
import { formatLatency } from "../../format/formatLatency";
import { formatTime } from "../../format/formatTime";
import { statusText, statusTone } from "./statusTone";
import "./RequestTable.css";

export interface RequestTableProps {
  /** undefined while the first response is awaited. */
  requests: RequestRecord[] | undefined;
  /** The API failed before any requests arrived. */
  unreachable?: boolean;
  /** Pinned by tests; the viewer's own zone otherwise. */
  timeZone?: string;
}

export function RequestTable({ requests, unreachable = false, timeZone }: RequestTableProps) {
  return (
    <section className="card request-table" aria-labelledby="request-table-title">
      <header className="card__header">
        <h2 id="request-table-title" className="card__title">
          Recent requests
        </h2>
        {requests && requests.length > 0 ? (
          <span className="card__meta">newest {requests.length}</span>
        ) : null}
      </header>
      {requests === undefined ? (
        <p className="request-table__empty">
          {unreachable ? "No requests yet — waiting for the Periscope API." : "Loading requests…"}
        </p>
      ) : requests.length === 0 ? (
        <div className="request-table__empty" data-testid="requests-empty">
          <strong>No requests yet — is the agent running?</strong>
          <span>Requests appear here a few seconds after traffic flows between traced processes.</span>
        </div>
      ) : (
        <div className="request-table__scroll">
          <table data-testid="request-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Client</th>
                <th scope="col">Server</th>
                <th scope="col">Method</th>
                <th scope="col">Path</th>
                <th scope="col" className="numeric">
                  Status
                </th>
                <th scope="col" className="numeric">
                  Latency
                </th>
              </tr>
            </thead>
            <tbody>
              {requests.map((request, index) => (
                <RequestRow key={rowKey(request, index)} request={request} timeZone={timeZone} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RequestRow({ request, timeZone }: { request: RequestRecord; timeZone: string | undefined }) {
  const tone = statusTone(request);
  return (
    <tr data-testid="request-row" data-protocol={request.protocol}>
      <td className="mono muted" data-column="time" title={request.time}>
        {formatTime(request.time, timeZone)}
      </td>
      <td data-column="client">
        {request.side === "client" ? <ObserverMark /> : null}
        {formatEndpoint(request.client)}
      </td>
      <td data-column="server">
        {request.side === "server" ? <ObserverMark /> : null}
        {formatEndpoint(request.server)}
      </td>
      <td data-column="method">
        <span className="method">{request.operation || "—"}</span>
      </td>
      <td className="mono path" data-column="path" title={request.target}>
        {request.target || "—"}
      </td>
      <td className="numeric" data-column="status">
        <span className={`status status--${tone}`}>{statusText(request)}</span>
      </td>
      <td className="numeric mono" data-column="latency">
        {formatLatency(request.durationMs)}
      </td>
    </tr>
  );
}

/**
 * Marks the end whose agent recorded the request. Both ends of a call between traced
 * processes are recorded, so the same call can show twice, once from each side.
 */
function ObserverMark() {
  return (
    <span
      className="observer-mark"
      role="img"
      title="recorded on this side"
      aria-label="recorded on this side"
    />
  );
}

function rowKey(request: RequestRecord, index: number): string {
  return `${request.timeUnixNano}:${request.side}:${request.client.port}:${request.server.port}:${index}`;
}
