import { describe, expect, it } from "vitest";
import {
  describeLive,
  INITIAL_LIVE_STATE,
  type LiveConnectionEvent,
  type LiveConnectionState,
  nextLiveState,
  requestRate,
} from "./liveConnection";

function replay(events: LiveConnectionEvent[]): LiveConnectionState {
  return events.reduce(nextLiveState, INITIAL_LIVE_STATE);
}

describe("live connection", () => {
  it("a fresh stream is connecting until the collector says hello", () => {
    expect(replay([{ type: "open", at: 0 }]).status).toBe("connecting");
    expect(
      replay([
        { type: "open", at: 0 },
        { type: "hello", at: 1 },
      ]).status,
    ).toBe("live");
  });

  it("a dropped stream reconnects, and one given up on is offline", () => {
    const live = replay([{ type: "hello", at: 0 }]);
    expect(nextLiveState(live, { type: "error", at: 1, closed: false }).status).toBe("reconnecting");
    expect(nextLiveState(live, { type: "error", at: 1, closed: true }).status).toBe("offline");
  });

  it("averages requests over the last ten seconds", () => {
    const state = replay([
      { type: "hello", at: 0 },
      { type: "requests", at: 1_000, count: 50 },
      { type: "requests", at: 9_000, count: 30 },
      { type: "requests", at: 12_000, count: 20 },
    ]);
    // At 12 s the 1 s batch has left the window: (30 + 20) / 10 s.
    expect(requestRate(state, 12_000)).toBe(5);
    expect(describeLive(state, 12_000, true)).toBe("Live · 5.0 req/s");
    expect(requestRate(state, 30_000)).toBe(0);
  });

  it("says when the view is on a fixed range and so not following the stream", () => {
    expect(describeLive(replay([{ type: "hello", at: 0 }]), 0, false)).toBe("Paused · fixed range");
    expect(describeLive(replay([{ type: "error", at: 0, closed: false }]), 0, false)).toBe("Reconnecting…");
  });
});
