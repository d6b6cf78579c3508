// Turns cumulative kernel snapshots into per-interval deltas, and decides
// when a closed connection's kernel entry may be freed.
import type { TcpConnSnapshot } from "./snapshot.js";

export interface ConnectionInterval {
  snapshot: TcpConnSnapshot;
  /** Stable across intervals for one connection. */
  connectionId: bigint;
  bytesSent: bigint;
  bytesReceived: bigint;
  retransmits: number;
  resetsSent: number;
  resetsReceived: number;
  stateChanges: number;
  /** Set in the interval the handshake completed. */
  connectNs: bigint;
  connectFailed: boolean;
  opened: boolean;
  closed: boolean;
}

export interface IntervalResult {
  intervals: ConnectionInterval[];
  /** Live-map entries to delete: closed, and already reported closed last time. */
  removable: bigint[];
}

interface Seen {
  snapshot: TcpConnSnapshot;
}

function keyOf(snapshot: TcpConnSnapshot): string {
  return `${snapshot.sockId}:${snapshot.openedNs}`;
}

/**
 * A closed entry stays in the kernel map for one more interval after it was
 * first reported closed: with SO_LINGER 0 the kernel moves to CLOSE before it
 * sends the reset, and an event landing on a deleted entry would be lost.
 * Connections with no change in an interval are not reported.
 */
export class IntervalTracker {
  private previous = new Map<string, Seen>();
  /**
   * Snapshots whose cumulative counters went backwards under one key: another
   * socket's counters in an old entry. Reported from zero (as a new
   * connection), never as negative deltas, which no counter can be.
   */
  countersReset = 0;

  /**
   * `live`: the kernel's per-socket map. `displaced`: closed connections the
   * kernel moved aside when their socket was reused; already deleted there,
   * final, and never a reason to delete a live entry (whose key may now be
   * the new connection's).
   */
  update(live: readonly TcpConnSnapshot[], displaced: readonly TcpConnSnapshot[] = []): IntervalResult {
    const next = new Map<string, Seen>();
    const intervals: ConnectionInterval[] = [];
    const removable: bigint[] = [];
    const all = [
      ...live.map((snapshot) => ({ snapshot, isLive: true })),
      ...displaced.map((snapshot) => ({ snapshot, isLive: false })),
    ];
    for (const { snapshot, isLive } of all) {
      const key = keyOf(snapshot);
      const seen = this.previous.get(key)?.snapshot;
      const wentBackwards = seen !== undefined && countersWentBackwards(seen, snapshot);
      if (wentBackwards) this.countersReset++;
      const before = wentBackwards ? undefined : seen;
      if (isLive && before?.closed && snapshot.closed) removable.push(snapshot.sockId);
      if (isLive) next.set(key, { snapshot });
      const interval: ConnectionInterval = {
        snapshot,
        connectionId: snapshot.sockId ^ snapshot.openedNs,
        bytesSent: snapshot.bytesAcked - (before?.bytesAcked ?? 0n),
        bytesReceived: snapshot.bytesReceived - (before?.bytesReceived ?? 0n),
        retransmits: snapshot.retransmits - (before?.retransmits ?? 0),
        resetsSent: snapshot.resetsSent - (before?.resetsSent ?? 0),
        resetsReceived: snapshot.resetsReceived - (before?.resetsReceived ?? 0),
        stateChanges: snapshot.stateChanges - (before?.stateChanges ?? 0),
        connectNs: before !== undefined && before.connectNs !== 0n ? 0n : snapshot.connectNs,
        connectFailed: snapshot.connectFailed && !before?.connectFailed,
        opened: before === undefined,
        closed: snapshot.closed && !before?.closed,
      };
      if (interval.opened || hasChange(interval)) intervals.push(interval);
    }
    this.previous = next;
    return { intervals, removable };
  }
}

function countersWentBackwards(before: TcpConnSnapshot, now: TcpConnSnapshot): boolean {
  return (
    now.bytesAcked < before.bytesAcked ||
    now.bytesReceived < before.bytesReceived ||
    now.retransmits < before.retransmits ||
    now.resetsSent < before.resetsSent ||
    now.resetsReceived < before.resetsReceived ||
    now.stateChanges < before.stateChanges
  );
}

function hasChange(interval: ConnectionInterval): boolean {
  return (
    interval.bytesSent !== 0n ||
    interval.bytesReceived !== 0n ||
    interval.retransmits !== 0 ||
    interval.resetsSent !== 0 ||
    interval.resetsReceived !== 0 ||
    interval.stateChanges !== 0
  );
}
