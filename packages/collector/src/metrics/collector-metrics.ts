// The collector's own Prometheus metrics. Counters that already exist
// elsewhere (IngestStats, the live hub, agents' drop reports) are read at
// scrape time rather than mirrored, so there is one source of truth for each.
// Each collector has its own registry: tests run several in one process.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { IngestStats } from "../ingest/ingest-stats.js";
import type { LiveHub } from "../live/live-hub.js";
import type { EngineEvents } from "../storage/engine-events.js";
import type { StorageActivity } from "./storage-activity.js";

export class CollectorMetrics {
  readonly registry = new Registry();
  readonly batchDuration: Histogram<"outcome">;
  readonly batchesInFlight: Gauge;
  readonly httpDuration: Histogram<"method" | "route" | "status_code">;

  constructor(ingestStats: IngestStats, live: LiveHub | undefined) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "periscope_collector_" });

    this.batchDuration = new Histogram({
      name: "periscope_ingest_batch_duration_seconds",
      help: "Time to handle one Export batch (validate, dedupe, insert), by outcome",
      labelNames: ["outcome"],
      // Inserts into the embedded engine take milliseconds to a few seconds under load.
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.batchesInFlight = new Gauge({
      name: "periscope_ingest_batches_in_flight",
      help: "Export batches being handled now (the ingest queue depth; bounded by PERISCOPE_INGEST_MAX_INFLIGHT)",
      registers,
    });
    this.httpDuration = new Histogram({
      name: "periscope_http_request_duration_seconds",
      help: "HTTP API latency by route template (query latency per endpoint)",
      labelNames: ["method", "route", "status_code"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10],
      registers,
    });

    const counters = ingestStats.counters;
    new Counter({
      name: "periscope_ingest_batches_total",
      help: "Export batches by outcome (stored, duplicate, invalid, busy, storage_failed)",
      labelNames: ["outcome"],
      registers,
      collect() {
        this.reset();
        this.inc({ outcome: "stored" }, counters.batchesStored);
        this.inc({ outcome: "duplicate" }, counters.batchesDuplicate);
        this.inc({ outcome: "invalid" }, counters.batchesRejectedInvalid);
        this.inc({ outcome: "busy" }, counters.batchesRefusedBusy);
        this.inc({ outcome: "storage_failed" }, counters.batchesFailedStorage);
        this.inc({ outcome: "buffered" }, counters.batchesBuffered);
        this.inc({ outcome: "refused_buffer_full" }, counters.batchesRefusedBufferFull);
      },
    });
    new Counter({
      name: "periscope_ingest_records_dropped_total",
      help: "Records acknowledged to an agent, then refused by storage for good (lost)",
      registers,
      collect() {
        this.reset();
        this.inc(counters.recordsDroppedAfterAccept);
      },
    });
    new Counter({
      name: "periscope_ingest_inserts_total",
      help: "INSERT statements run (records_total / this is how many records each insert coalesces), and retries",
      labelNames: ["kind"],
      registers,
      collect() {
        this.reset();
        this.inc({ kind: "statement" }, counters.insertStatements);
        this.inc({ kind: "retry" }, counters.insertRetries);
      },
    });
    new Counter({
      name: "periscope_ingest_records_total",
      help: "Request records stored (rate() of this is the ingest rate)",
      registers,
      collect() {
        this.reset();
        this.inc(counters.recordsStored);
      },
    });
    new Counter({
      name: "periscope_ingest_metric_series_total",
      help: "Metric series stored, and series rejected as malformed by reason (the rest of their batch was stored)",
      labelNames: ["outcome", "reason"],
      registers,
      collect() {
        this.reset();
        this.inc({ outcome: "stored", reason: "" }, counters.seriesStored);
        for (const [reason, count] of Object.entries(ingestStats.seriesRejectedBy)) {
          this.inc({ outcome: "rejected", reason }, count);
        }
      },
    });
    new Counter({
      name: "periscope_ingest_profile_rows_total",
      help: "CPU profile stacks and samples accepted, and rows left out as malformed by reason (the rest of their batch was stored)",
      labelNames: ["outcome", "reason"],
      registers,
      collect() {
        this.reset();
        const profiles = ingestStats.profiles;
        this.inc({ outcome: "stack", reason: "" }, profiles.stacksAccepted);
        this.inc({ outcome: "sample", reason: "" }, profiles.samplesAccepted);
        for (const [reason, count] of Object.entries(profiles.rejectedBy))
          this.inc({ outcome: "rejected", reason }, count);
      },
    });
    new Gauge({
      name: "periscope_agent_drops",
      help: "Losses each agent reported in its latest batch, cumulative since the agent started",
      labelNames: ["agent_id", "counter"],
      registers,
      collect() {
        this.reset();
        for (const agent of ingestStats.agentStatuses()) {
          for (const [counter, value] of Object.entries(agent.drops)) {
            this.set({ agent_id: agent.agentId, counter }, Number(value));
          }
        }
      },
    });
    new Gauge({
      name: "periscope_agent_backlog_batches",
      help: "Batches each agent held unacknowledged at its latest batch, by where: memory (in_flight among them) or its disk spool",
      labelNames: ["agent_id", "where"],
      registers,
      collect() {
        this.reset();
        for (const { agentId, backlog } of ingestStats.agentStatuses()) {
          if (backlog === undefined) continue;
          this.set({ agent_id: agentId, where: "memory" }, backlog.pendingBatches);
          this.set({ agent_id: agentId, where: "in_flight" }, backlog.inFlightBatches);
          this.set({ agent_id: agentId, where: "spool" }, backlog.spoolBatches);
        }
      },
    });
    new Gauge({
      name: "periscope_agent_backlog_oldest_age_seconds",
      help: "Age of each agent's oldest unacknowledged batch at its latest batch, by where it waited (0: none)",
      labelNames: ["agent_id", "where"],
      registers,
      collect() {
        this.reset();
        for (const { agentId, backlog } of ingestStats.agentStatuses()) {
          if (backlog === undefined) continue;
          this.set({ agent_id: agentId, where: "memory" }, backlog.oldestPendingAgeMs / 1000);
          this.set({ agent_id: agentId, where: "spool" }, backlog.spoolOldestAgeMs / 1000);
        }
      },
    });
    new Gauge({
      name: "periscope_agent_spool_bytes",
      help: "Bytes in each agent's disk spool at its latest batch",
      labelNames: ["agent_id"],
      registers,
      collect() {
        this.reset();
        for (const { agentId, backlog } of ingestStats.agentStatuses()) {
          if (backlog !== undefined) this.set({ agent_id: agentId }, backlog.spoolBytes);
        }
      },
    });
    if (live !== undefined) this.registerLive(live, registers);
  }

  /** The ingest queue (coalescing inserts, holding batches through a storage outage). */
  watchIngestQueue(source: {
    readonly queueState: { batches: number; rows: number; bytes: number; storageDown: boolean };
  }): void {
    const registers = [this.registry];
    new Gauge({
      name: "periscope_ingest_queue_depth",
      help: "Batches, rows and bytes accepted and waiting to be stored (bounded; beyond it agents are refused)",
      labelNames: ["unit"],
      registers,
      collect() {
        const state = source.queueState;
        this.set({ unit: "batches" }, state.batches);
        this.set({ unit: "rows" }, state.rows);
        this.set({ unit: "bytes" }, state.bytes);
      },
    });
    new Gauge({
      name: "periscope_storage_down",
      help: "1 while inserts fail with a transient storage error and batches are being held",
      registers,
      collect() {
        this.set(source.queueState.storageDown ? 1 : 0);
      },
    });
  }

  /**
   * What storing costs: inserts and rows per table (rows / inserts is rows per
   * insert) and the engine's parts written, merges and merge time. Most of a
   * quiet collector's CPU is the engine merging the parts its inserts wrote
   * (src/storage/README.md, Steady-state cost).
   */
  watchStorage(activity: StorageActivity, ingestStats: IngestStats): void {
    const registers = [this.registry];
    const byTable = ingestStats.insertsByTable;
    new Counter({
      name: "periscope_ingest_insert_statements_total",
      help: "INSERT statements run, by table (each writes a part to the table and to each view's target)",
      labelNames: ["table"],
      registers,
      collect() {
        this.reset();
        for (const [table, { statements }] of byTable) this.inc({ table }, statements);
      },
    });
    new Counter({
      name: "periscope_ingest_insert_rows_total",
      help: "Rows those INSERT statements wrote, by table; divided by the statements, rows per insert",
      labelNames: ["table"],
      registers,
      collect() {
        this.reset();
        for (const [table, { rows }] of byTable) this.inc({ table }, rows);
      },
    });
    const engineCounter = (name: string, help: string, value: (events: EngineEvents) => number) =>
      new Counter({
        name,
        help,
        registers,
        async collect() {
          const events = await activity.engineEvents();
          this.reset();
          this.inc(value(events));
        },
      });
    engineCounter(
      "periscope_storage_parts_written_total",
      "Parts the engine's inserts wrote, views' targets included (system.events Inserted*Parts); each is merged later",
      (events) => events.partsWritten,
    );
    engineCounter(
      "periscope_storage_merges_total",
      "Background merges the engine ran (system.events Merge)",
      (events) => events.merges,
    );
    engineCounter(
      "periscope_storage_parts_merged_total",
      "Parts those merges merged away (system.events MergeSourceParts)",
      (events) => events.partsMerged,
    );
    engineCounter(
      "periscope_storage_merge_seconds_total",
      "Time the engine spent merging, summed over merge threads (system.events MergeTotalMilliseconds)",
      (events) => events.mergeMilliseconds / 1000,
    );
  }

  private registerLive(live: LiveHub, registers: Registry[]): void {
    new Gauge({
      name: "periscope_live_clients",
      help: "Live (SSE) subscribers connected",
      registers,
      collect() {
        this.set(live.clientCount);
      },
    });
    new Counter({
      name: "periscope_live_drops_total",
      help: "Live feed losses: slow clients disconnected, clients refused (full), requests left out of events",
      labelNames: ["kind"],
      registers,
      collect() {
        this.reset();
        this.inc({ kind: "slow_client" }, live.counters.clientsDroppedSlow);
        this.inc({ kind: "refused_full" }, live.counters.clientsRefusedFull);
        this.inc({ kind: "request_omitted" }, live.counters.requestsOmitted);
      },
    });
  }
}
