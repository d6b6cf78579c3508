import { describe, expect, it } from "vitest";
import { IntervalTracker } from "./interval-tracker.js";
import type { TcpConnSnapshot } from "./snapshot.js";

function snapshot(overrides: Partial<TcpConnSnapshot> = {}): TcpConnSnapshot {
  return {
    sockId: 0xffff_8880_0000_1000n,
    openedNs: 1_000n,
    connectNs: 0n,
    bytesAcked: 0n,
    bytesReceived: 0n,
    tgid: 42,
    comm: "curl",
    retransmits: 0,
    resetsSent: 0,
    resetsReceived: 0,
    stateChanges: 1,
    srttUs: 0,
    family: 2,
    localIp: "127.0.0.1",
    localPort: 40000,
    remoteIp: "127.0.0.1",
    remotePort: 80,
    state: "SYN_SENT",
    role: 1,
    connectFailed: false,
    closed: false,
    ...overrides,
  };
}

describe("IntervalTracker", () => {
  it("reports deltas per interval and the connect time once", () => {
    const tracker = new IntervalTracker();
    const first = tracker.update([snapshot({ state: "ESTABLISHED", connectNs: 50_000n, bytesAcked: 100n })]);
    expect(first.intervals).toHaveLength(1);
    expect(first.intervals[0]).toMatchObject({ opened: true, bytesSent: 100n, connectNs: 50_000n });

    const second = tracker.update([
      snapshot({
        state: "ESTABLISHED",
        connectNs: 50_000n,
        bytesAcked: 250n,
        retransmits: 2,
        bytesReceived: 7n,
      }),
    ]);
    expect(second.intervals[0]).toMatchObject({
      opened: false,
      bytesSent: 150n,
      bytesReceived: 7n,
      retransmits: 2,
      connectNs: 0n,
    });
  });

  it("skips a connection that did nothing in an interval", () => {
    const tracker = new IntervalTracker();
    tracker.update([snapshot({ bytesAcked: 10n })]);
    expect(tracker.update([snapshot({ bytesAcked: 10n })]).intervals).toEqual([]);
  });

  it("frees a closed entry only after it was reported closed, so a late reset still counts", () => {
    const tracker = new IntervalTracker();
    const closing = tracker.update([snapshot({ state: "CLOSE", closed: true, stateChanges: 3 })]);
    expect(closing.intervals[0]?.closed).toBe(true);
    expect(closing.removable).toEqual([]);
    const after = tracker.update([
      snapshot({ state: "CLOSE", closed: true, stateChanges: 3, resetsSent: 1 }),
    ]);
    expect(after.intervals[0]).toMatchObject({ closed: false, resetsSent: 1 });
    expect(after.removable).toEqual([0xffff_8880_0000_1000n]);
  });

  it("treats a reused socket address as a new connection", () => {
    const tracker = new IntervalTracker();
    tracker.update([snapshot({ bytesAcked: 500n, closed: true })]);
    const reused = tracker.update([snapshot({ openedNs: 9_000n, bytesAcked: 20n })]);
    expect(reused.intervals[0]).toMatchObject({ opened: true, bytesSent: 20n });
    expect(reused.removable).toEqual([]);
  });
});

describe("IntervalTracker with displaced connections", () => {
  it("never reports a negative delta: counters going backwards under one key start over, counted", () => {
    // Seen live: a closed entry of the agent's own export socket took a new
    // socket's counters (0) under the old key while the collector was down.
    const tracker = new IntervalTracker();
    tracker.update([
      snapshot({ state: "CLOSE", closed: true, bytesAcked: 707n, bytesReceived: 88n, stateChanges: 3 }),
    ]);
    const { intervals } = tracker.update([
      snapshot({ state: "CLOSE", closed: true, connectFailed: true, stateChanges: 4 }),
    ]);
    expect(intervals).toHaveLength(1);
    expect(intervals[0]).toMatchObject({ bytesSent: 0n, bytesReceived: 0n, stateChanges: 4, opened: true });
    expect(tracker.countersReset).toBe(1);
  });

  it("reports a displaced closed connection once and never frees the live entry now under its key", () => {
    const tracker = new IntervalTracker();
    const first = { sockId: 0xabcn, openedNs: 1n, closed: true, state: "CLOSE", connectFailed: true };
    tracker.update([snapshot(first)]);
    // The socket was reused: the old one comes back displaced, the new one is live under the same key.
    const next = tracker.update(
      [snapshot({ sockId: 0xabcn, openedNs: 2n, bytesAcked: 5n })],
      [snapshot(first)],
    );
    expect(next.removable).toEqual([]);
    expect(next.intervals.map((i) => [i.snapshot.openedNs, i.opened])).toEqual([[2n, true]]);
  });

  it("reports a connection displaced before it was ever read, closed and failed", () => {
    const tracker = new IntervalTracker();
    const result = tracker.update(
      [],
      [snapshot({ openedNs: 7n, closed: true, connectFailed: true, resetsReceived: 1 })],
    );
    expect(result.intervals[0]).toMatchObject({
      opened: true,
      closed: true,
      connectFailed: true,
      resetsReceived: 1,
    });
  });
});
