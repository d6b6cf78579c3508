// What the ingest path did since start, and the latest self-reported state of
// each agent (its drop counters), so losses anywhere in the pipeline are visible.
import { type AgentInfo, type DropCounters, DropCountersSchema } from "@periscope/proto";
import { SERIES_REJECTION_REASONS, type SeriesRejectionReason } from "./batch-validation.js";
import { PROFILE_REJECTION_REASONS, type ProfileRejectionReason } from "./profile-rows.js";

export interface IngestCounters {
  batchesStored: number;
  recordsStored: number;
  batchesDuplicate: number;
  batchesRejectedInvalid: number;
  /** Refused because too many inserts were already in flight; the agent retries. */
  batchesRefusedBusy: number;
  batchesFailedStorage: number;
  /** Accepted while storage was failing: held in the outage buffer, stored when it returns. */
  batchesBuffered: number;
  /** Refused because the queue/outage buffer was at its row or byte bound; the agent keeps them. */
  batchesRefusedBufferFull: number;
  /** Records acknowledged as buffered but later refused by storage for good (bad data); lost. */
  recordsDroppedAfterAccept: number;
  /** INSERT statements run; recordsStored / this is the coalescing factor. */
  insertStatements: number;
  /** Rows those statements wrote, every table; insertRows / insertStatements is rows per insert. */
  insertRows: number;
  /** Inserts that failed with a transient error and were retried later. */
  insertRetries: number;
  /** Metric series stored (the map, RED and endpoints read these). */
  seriesStored: number;
  /** Metric series left out as malformed while the rest of their batch was stored; by reason in seriesRejectedBy. */
  seriesRejected: number;
  /** Metric series stored with their far end as the service's "{overflow}" peer (series-peer-bound.ts). */
  seriesPeersFolded: number;
}

export interface AgentStatus {
  agentId: string;
  hostname: string;
  version: string;
  kernel: string;
  lastSeen: string;
  /** Every DropCounters field, as decimal strings (64-bit counts). */
  drops: Record<string, string>;
  /** What the agent held unacknowledged when it sent its latest batch; absent before it reports one. */
  backlog?: AgentBacklog;
  /** Capture features the agent runs without on its node, and why (AgentInfo.capture_problems); absent before it reports. */
  captureProblems?: { feature: string; reason: string }[];
  /** AgentInfo.activity as decimal strings (cumulative since the agent started); absent from older agents. */
  activity?: { events: string; records: string; recordsSent: string };
}

/** AgentInfo.backlog as numbers: batches in the agent's memory and disk spool, ages in ms. */
export interface AgentBacklog {
  pendingBatches: number;
  inFlightBatches: number;
  oldestPendingAgeMs: number;
  spoolBatches: number;
  spoolBytes: number;
  spoolOldestAgeMs: number;
}

export class IngestStats {
  readonly counters: IngestCounters = {
    batchesStored: 0,
    recordsStored: 0,
    batchesDuplicate: 0,
    batchesRejectedInvalid: 0,
    batchesRefusedBusy: 0,
    batchesFailedStorage: 0,
    batchesBuffered: 0,
    batchesRefusedBufferFull: 0,
    recordsDroppedAfterAccept: 0,
    insertStatements: 0,
    insertRows: 0,
    insertRetries: 0,
    seriesStored: 0,
    seriesRejected: 0,
    seriesPeersFolded: 0,
  };
  /** seriesRejected by reason (batch-validation.ts). */
  readonly seriesRejectedBy = Object.fromEntries(
    SERIES_REJECTION_REASONS.map((reason) => [reason, 0]),
  ) as Record<SeriesRejectionReason, number>;
  /** CPU profiles: stacks and samples accepted into the queue, and those left out as malformed, by reason (profile-rows.ts). */
  readonly profiles = {
    stacksAccepted: 0,
    samplesAccepted: 0,
    rejected: 0,
    rejectedBy: Object.fromEntries(PROFILE_REJECTION_REASONS.map((reason) => [reason, 0])) as Record<
      ProfileRejectionReason,
      number
    >,
  };
  /** insertStatements and insertRows per table (a few fixed names: requests, metric_series, …). */
  readonly insertsByTable = new Map<string, { statements: number; rows: number }>();
  private readonly agents = new Map<string, AgentStatus>();

  constructor(private readonly maxAgents = 10_000) {}

  recordAgent(agentId: string, info: AgentInfo | undefined, now: Date = new Date()): void {
    this.agents.delete(agentId);
    this.agents.set(agentId, {
      agentId,
      hostname: info?.hostname ?? "",
      version: info?.version ?? "",
      kernel: info?.kernel ?? "",
      lastSeen: now.toISOString(),
      drops: dropsAsStrings(info?.drops),
      ...(info?.backlog === undefined
        ? {}
        : {
            backlog: {
              pendingBatches: info.backlog.pendingBatches,
              inFlightBatches: info.backlog.inFlightBatches,
              oldestPendingAgeMs: Number(info.backlog.oldestPendingAgeMs),
              spoolBatches: info.backlog.spoolBatches,
              spoolBytes: Number(info.backlog.spoolBytes),
              spoolOldestAgeMs: Number(info.backlog.spoolOldestAgeMs),
            },
          }),
      ...(info === undefined
        ? {}
        : { captureProblems: info.captureProblems.map(({ feature, reason }) => ({ feature, reason })) }),
      ...(info?.activity === undefined
        ? {}
        : {
            activity: {
              events: String(info.activity.events),
              records: String(info.activity.records),
              recordsSent: String(info.activity.recordsSent),
            },
          }),
    });
    if (this.agents.size > this.maxAgents) {
      const oldest = this.agents.keys().next().value;
      if (oldest !== undefined) this.agents.delete(oldest);
    }
  }

  countInsert(table: string, rows: number): void {
    this.counters.insertStatements += 1;
    this.counters.insertRows += rows;
    const byTable = this.insertsByTable.get(table) ?? { statements: 0, rows: 0 };
    byTable.statements += 1;
    byTable.rows += rows;
    this.insertsByTable.set(table, byTable);
  }

  countSeriesRejected(reason: SeriesRejectionReason): void {
    this.counters.seriesRejected += 1;
    this.seriesRejectedBy[reason] += 1;
  }

  countProfileRejected(reason: ProfileRejectionReason): void {
    this.profiles.rejected += 1;
    this.profiles.rejectedBy[reason] += 1;
  }

  agentStatuses(): AgentStatus[] {
    return [...this.agents.values()].sort((a, b) => a.agentId.localeCompare(b.agentId));
  }
}

function dropsAsStrings(drops: DropCounters | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const field of DropCountersSchema.fields) {
    result[field.localName] = String(drops?.[field.localName as keyof DropCounters] ?? 0n);
  }
  return result;
}
