import type { ConnectionHealth } from "../../requests/connectionHealth";
import { formatBytes } from "../../requests/detailFields";

export function ConnectionHealthPanel({
  health,
  loading,
  error,
}: {
  health: ConnectionHealth | undefined;
  loading: boolean;
  error: string | undefined;
}) {
  if (error) return <p className="request-detail__error">TCP statistics unavailable: {error}</p>;
  if (loading && !health) return <p className="muted">Loading TCP statistics…</p>;
  if (!health) {
    return (
      <p className="muted" data-testid="tcp-health-none">
        No TCP statistics for this connection within a minute of the request (the observing agent reports them
        per interval).
      </p>
    );
  }
  return (
    <dl className="request-detail__summary" data-testid="tcp-health" data-verdict={health.verdict}>
      <div className="request-detail__item">
        <dt>Health</dt>
        <dd>
          <span className={`status status--${health.verdict === "healthy" ? "success" : "server-error"}`}>
            {health.verdict}
          </span>
        </dd>
      </div>
      <div className="request-detail__item">
        <dt>Retransmits</dt>
        <dd>{health.retransmits}</dd>
      </div>
      <div className="request-detail__item">
        <dt>Resets</dt>
        <dd>
          {health.resetsSent} sent · {health.resetsReceived} received
        </dd>
      </div>
      <div className="request-detail__item">
        <dt>RTT</dt>
        <dd>{health.srttUs === undefined ? "—" : `${(health.srttUs / 1000).toFixed(2)} ms (smoothed)`}</dd>
      </div>
      <div className="request-detail__item">
        <dt>Traffic</dt>
        <dd>
          {formatBytes(health.bytesSent)} sent · {formatBytes(health.bytesReceived)} received over{" "}
          {health.intervals} interval{health.intervals === 1 ? "" : "s"}
        </dd>
      </div>
      <div className="request-detail__item">
        <dt>State</dt>
        <dd>
          {health.state || "—"}
          {health.connectFailed ? " (connect failed)" : ""}
        </dd>
      </div>
    </dl>
  );
}
