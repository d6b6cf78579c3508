import { formatClock } from "../../format/formatTime";
import "./Header.css";

export type LiveStatus = "connecting" | "live" | "offline";

export interface HeaderProps {
  status: LiveStatus;
  /** Epoch ms of the last successful refresh. */
  updatedAt: number | undefined;
}

const STATUS_LABELS: Record<LiveStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  offline: "API unreachable",
};

export function Header({ status, updatedAt }: HeaderProps) {
  return (
    <header className="app-header">
      <div className="app-header__brand">
        <PeriscopeMark />
        <span className="app-header__name">Periscope</span>
        <span className="app-header__tagline">eBPF service observability</span>
      </div>
      <div className={`app-header__status app-header__status--${status}`} data-testid="live-status">
        <span className="app-header__dot" aria-hidden="true" />
        {STATUS_LABELS[status]}
        {updatedAt !== undefined ? (
          <span className="app-header__updated">updated {formatClock(updatedAt)}</span>
        ) : null}
      </div>
    </header>
  );
}

function PeriscopeMark() {
  return (
    <svg className="app-header__mark" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      <path
        d="M7 21V9a3 3 0 0 1 3-3h7"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.4"
        strokeLinecap="round"
      />
      <circle cx="18.5" cy="6" r="2.8" fill="currentColor" />
    </svg>
  );
}
