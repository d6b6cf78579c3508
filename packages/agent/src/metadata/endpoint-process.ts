// Puts a process's metadata on the exported endpoints (Endpoint fields 6-9),
// and reads it while the process still exists: at its first connection event.

import type { Endpoint, RequestRecord } from "@periscope/proto";
import type { KernelEvent } from "../capture/events.js";
import type { ProcessInfoCache } from "./process-info.js";

/** Reads /proc for processes seen opening a connection (cached: once per process). */
export function observeProcesses(events: readonly KernelEvent[], cache: ProcessInfoCache): void {
  for (const event of events) {
    if (event.kind === "open") cache.get(event.conn.tgid);
  }
}

function addTo(endpoint: Endpoint | undefined, cache: ProcessInfoCache): void {
  if (!endpoint || endpoint.pid === 0) return;
  const info = cache.get(endpoint.pid);
  if (!info) return;
  endpoint.containerId = info.containerId;
  endpoint.cmdline = info.cmdline;
  endpoint.exe = info.exe;
  endpoint.processStartTimeUnixMs = BigInt(info.startTimeMs);
}

/** Fills both ends' process fields in place; returns the record. */
export function withProcessInfo(record: RequestRecord, cache: ProcessInfoCache): RequestRecord {
  addTo(record.client, cache);
  addTo(record.server, cache);
  return record;
}
