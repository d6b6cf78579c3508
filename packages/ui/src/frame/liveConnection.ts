// The header's live indicator, as a pure state machine over the SSE stream's
// events (like Hubble's "N flows/s · reconnecting"). EventSource reconnects by
// itself (the collector sends `retry: 2000`); this only says what the user sees.

export type LiveConnectionStatus = "connecting" | "live" | "reconnecting" | "offline";

export interface LiveConnectionState {
  status: LiveConnectionStatus;
  /** Requests announced per event, newest last: [epoch ms, count]. */
  recent: readonly (readonly [number, number])[];
  lastEventAt: number | undefined;
}

export type LiveConnectionEvent =
  | { type: "open"; at: number }
  | { type: "hello"; at: number }
  | { type: "requests"; at: number; count: number }
  | { type: "map"; at: number }
  /** EventSource's error: `closed` when it gave up (readyState CLOSED), else it retries. */
  | { type: "error"; at: number; closed: boolean };

/** The window request rates are averaged over. */
export const RATE_WINDOW_MS = 10_000;

export const INITIAL_LIVE_STATE: LiveConnectionState = {
  status: "connecting",
  recent: [],
  lastEventAt: undefined,
};

export function nextLiveState(state: LiveConnectionState, event: LiveConnectionEvent): LiveConnectionState {
  switch (event.type) {
    case "open":
      // The stream is up but the collector has not said hello yet.
      return state.status === "live" ? state : { ...state, status: "connecting" };
    case "hello":
      return { ...state, status: "live", lastEventAt: event.at };
    case "requests":
      return {
        status: "live",
        lastEventAt: event.at,
        recent: [...state.recent.filter(([at]) => at > event.at - RATE_WINDOW_MS), [event.at, event.count]],
      };
    case "map":
      return { ...state, status: "live", lastEventAt: event.at };
    case "error":
      return { ...state, status: event.closed ? "offline" : "reconnecting" };
  }
}

/** Requests per second over the last RATE_WINDOW_MS; undefined before the stream is live. */
export function requestRate(state: LiveConnectionState, now: number): number | undefined {
  if (state.status !== "live") return undefined;
  const total = state.recent.reduce((sum, [at, count]) => (at > now - RATE_WINDOW_MS ? sum + count : sum), 0);
  return total / (RATE_WINDOW_MS / 1000);
}

const STATUS_TEXT: Record<LiveConnectionStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

/** "Live · 12.3 req/s", "Reconnecting…", "Paused (fixed range)". */
export function describeLive(state: LiveConnectionState, now: number, following: boolean): string {
  if (!following && state.status === "live") return "Paused · fixed range";
  const rate = requestRate(state, now);
  if (rate === undefined) return STATUS_TEXT[state.status];
  return `Live · ${rate < 10 ? rate.toFixed(1) : Math.round(rate)} req/s`;
}
