// The storage guards on /metrics: partitions the disk guard dropped (data
// lost on purpose, so it must be visible and alertable), what the database
// and its volume hold at the last check, and queries stopped at a per-query
// limit or cancelled because their client went away.
import { Counter, Gauge, type Registry } from "prom-client";
import type { DiskGuard } from "../storage/disk-guard.js";
import type { QueryOutcomes } from "../storage/query-outcomes.js";

export function registerStorageGuardMetrics(
  registry: Registry,
  guard: Pick<DiskGuard, "state">,
  outcomes: QueryOutcomes,
): void {
  const registers = [registry];
  const state = guard.state;
  new Counter({
    name: "periscope_storage_guard_partitions_dropped_total",
    help: "Day partitions the disk guard dropped to stay within PERISCOPE_STORAGE_MAX_BYTES / PERISCOPE_STORAGE_MIN_FREE_PERCENT, by table",
    labelNames: ["table"],
    registers,
    collect() {
      this.reset();
      for (const [table, dropped] of Object.entries(state.droppedByTable))
        this.inc({ table }, dropped.partitions);
    },
  });
  new Counter({
    name: "periscope_storage_guard_bytes_dropped_total",
    help: "Bytes on disk of the partitions the disk guard dropped, by table",
    labelNames: ["table"],
    registers,
    collect() {
      this.reset();
      for (const [table, dropped] of Object.entries(state.droppedByTable)) this.inc({ table }, dropped.bytes);
    },
  });
  new Gauge({
    name: "periscope_storage_bytes",
    help: "At the disk guard's last check: bytes of the database's active parts (database), and the free and total bytes of their volume",
    labelNames: ["what"],
    registers,
    collect() {
      this.reset();
      if (state.last === null) return;
      this.set({ what: "database" }, state.last.databaseBytes);
      this.set({ what: "volume_free" }, state.last.volumeFreeBytes);
      this.set({ what: "volume_total" }, state.last.volumeTotalBytes);
    },
  });
  new Gauge({
    name: "periscope_storage_guard_cannot_free",
    help: "1 while storage is over its limit with only the newest partitions left (the guard can drop nothing more)",
    registers,
    collect() {
      this.set(state.cannotFree ? 1 : 0);
    },
  });
  new Counter({
    name: "periscope_queries_stopped_total",
    help: "Queries stopped before they answered, by reason: too_large (PERISCOPE_QUERY_MAX_ROWS / _MAX_MEMORY_MB, 422), timeout (PERISCOPE_QUERY_MAX_SECONDS, 503), busy (engine out of memory, 503), cancelled (the HTTP client went away)",
    labelNames: ["reason"],
    registers,
    collect() {
      this.reset();
      const counts = outcomes.snapshot();
      this.inc({ reason: "too_large" }, counts.tooLarge);
      this.inc({ reason: "timeout" }, counts.timedOut);
      this.inc({ reason: "busy" }, counts.busy);
      this.inc({ reason: "cancelled" }, counts.cancelled);
    },
  });
}
