// The kernel side of giving up on a connection: when the pipeline stops
// parsing one (repeated parse failures: a false positive of the in-kernel
// protocol check), the kernel stops copying its payload too, so the
// connection costs sizes only. Counted, and failures to mark it counted.

import type { ConnId } from "../capture/events.js";
import type { CaptureStats } from "./capture-stats.js";

/** What the pipeline's onConnectionDisabled hook reports: pid is the kernel conn id's tgid. */
export interface DisabledConnectionRef {
  pid: number;
  fd: number;
  generation: number;
}

export function kernelConnectionDisabler(
  tracer: () => { disableConnection(conn: ConnId): void } | undefined,
  stats: Pick<CaptureStats, "connectionsDisabled" | "disableFailed">,
): (connection: DisabledConnectionRef) => void {
  return (connection) => {
    const target = tracer();
    if (!target) return;
    try {
      target.disableConnection({
        tgid: connection.pid,
        fd: connection.fd,
        generation: connection.generation,
      });
      stats.connectionsDisabled += 1;
    } catch {
      // The map refused (it is LRU, so only a kernel error): the connection keeps being copied.
      stats.disableFailed += 1;
    }
  };
}
