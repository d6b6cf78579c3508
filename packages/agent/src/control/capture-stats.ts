// Counts what the kernel delivered, for /metrics: batches, events, captured
// bytes, and the connections open as the kernel reported them.

import type { KernelEvent } from "../capture/events.js";

export class CaptureStats {
  batches = 0;
  events = 0;
  capturedBytes = 0;
  private opened = 0;
  private closed = 0;
  /** Connections disabled through the kernel (parser gave up on them). */
  connectionsDisabled = 0;
  /** Disable requests the kernel map refused. */
  disableFailed = 0;

  observe(batch: readonly KernelEvent[]): void {
    this.batches += 1;
    this.events += batch.length;
    for (const event of batch) {
      if (event.kind === "data") this.capturedBytes += event.data.length;
      else if (event.kind === "open") this.opened += 1;
      else this.closed += 1;
    }
  }

  /** Opened minus closed; connections of a process killed mid-flight close at its exit. */
  get connectionsOpen(): number {
    return this.opened - this.closed;
  }
}
