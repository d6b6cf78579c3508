"use client";

import { useEffect, useState } from "react";
import { useLiveConnection } from "../../frame/LiveProvider";
import { describeLive } from "../../frame/liveConnection";

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
  return (
    <output
      className={`live-indicator live-indicator--${tone}`}
      data-testid="live-status"
      data-status={state.status}
      aria-live="polite"
    >
      <span className="live-indicator__dot" aria-hidden="true" />
      {describeLive(state, now, following)}
    </output>
  );
}
