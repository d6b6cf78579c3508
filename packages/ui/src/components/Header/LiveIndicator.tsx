"use client";

import { useEffect, useState } from "react";
import { useLiveConnection } from "../../frame/LiveProvider";
import { describeLive, type LiveConnectionStatus } from "../../frame/liveConnection";

const STATUS_ANNOUNCEMENTS: Record<LiveConnectionStatus, string> = {
  connecting: "Connecting to live updates",
  live: "Live updates on",
  reconnecting: "Live updates lost, reconnecting",
  offline: "Live updates offline",
};

/** The stream's state and request rate; a fixed (absolute) range says it is not following. */
export function LiveIndicator({ following }: { following: boolean }) {
  const state = useLiveConnection();
  const [now, setNow] = useState(() => Date.now());
  // The rate decays while no events arrive; re-read it each second.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const tone = !following && state.status === "live" ? "paused" : state.status;
  // Only the connection state is announced: a rate that changes every second would
  // make a screen reader talk without pause.
  return (
    <div className={`live-indicator live-indicator--${tone}`}>
      <span className="live-indicator__dot" aria-hidden="true" />
      <span data-testid="live-status" data-status={state.status}>
        {describeLive(state, now, following)}
      </span>
      <span className="visually-hidden" role="status">
        {STATUS_ANNOUNCEMENTS[state.status]}
      </span>
    </div>
  );
}
