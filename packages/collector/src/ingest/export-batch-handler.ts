// The ingest decision for one Export batch, independent of gRPC: validate,
// skip a retried duplicate, map to rows, and hand the batch to the insert
// queue (which coalesces batches into large inserts and holds them through a
// storage outage; see insert-queue.ts).
import type { ExportRequest } from "@periscope/proto";
import { decorateExportRequest } from "../kubernetes/decorate.js";
import type { KubernetesMetadata } from "../kubernetes/identity.js";
import { BatchSequenceMemory } from "./batch-sequence-memory.js";
import { INGESTED_BATCHES_TABLE, ingestedBatchRow, type StoredSequences } from "./batch-sequence-store.js";
import { seriesRejection, validateExportRequest } from "./batch-validation.js";
import { toConnectionRow } from "./connection-row.js";
import type { IngestStats } from "./ingest-stats.js";
import {
  DEFAULT_INSERT_QUEUE_OPTIONS,
  InsertQueue,
  type InsertQueueOptions,
  METRIC_SERIES_TABLE,
  type RowSink,
  type SubmitOutcome,
} from "./insert-queue.js";
import { type MetricSeriesRow, toMetricSeriesRow } from "./metric-series-row.js";
import { toProfileRows } from "./profile-rows.js";
import type { ReaderActivity } from "./reader-activity.js";
import { type RequestRow, toRequestRow } from "./request-row.js";
import { SeriesPeerBound } from "./series-peer-bound.js";
import { testFaultPoint } from "./test-fault.js";
import { undecodableReason } from "./undecodable-batch.js";

export type { RowSink } from "./insert-queue.js";

export type ExportOutcome =
  /** Stored (or, with acknowledge "queued", accepted into the queue). */
  | { kind: "stored"; accepted: number; series?: SeriesOutcome }
  | { kind: "duplicate" }
  | { kind: "invalid"; reason: string }
  | { kind: "busy"; reason: string }
  | { kind: "storage-failed"; cause: unknown };

/** Where accepted batches also go (OTLP export): rows as stored, offered once per batch. */
export interface BatchExporter {
  offer(rows: readonly RequestRow[], series: readonly MetricSeriesRow[]): void;
}

/**
 * Told about every batch once it is stored (never about duplicates or
 * failures), with a function building the rows exactly as stored — what live
 * updates push to the UI; a listener with no subscriber never calls it.
 * Called synchronously after the insert; it must not throw or block. Batches
 * held through a storage outage are not reported when they are finally stored
 * (their rows are not kept in memory, only their serialised form).
 */
export type StoredBatchListener = (rows: () => readonly RequestRow[], agentId: string) => void;

/** What became of a stored batch's metric series (ExportResponse.series_*); absent when it had none. */
export interface SeriesOutcome {
  accepted: number;
  rejected: number;
  /** The first few rejections, "metrics[i]: detail"; "" when none. */
  rejectedReason: string;
}

const MAX_REASONS_REPORTED = 3;

export class ExportBatchHandler {
  private readonly sequences = new BatchSequenceMemory();
  /** Peers per service across every agent (series-peer-bound.ts). */
  private readonly peerBound = new SeriesPeerBound();
  /** Batches a previous run stored the records of, not (known) the rest; keys agent\0seq. */
  private readonly recordsOnly = new Set<string>();
  /** Set by restore(): each batch's number is then written to storage too (batch-sequence-store.ts). */
  private persistSequences = false;
  private readonly queue: InsertQueue;
  /** The cluster's metadata once its watch runs; undefined in host mode. */
  private metadata: KubernetesMetadata | undefined;
  private exporter: BatchExporter | undefined;

  /**
   * @param concurrentInserts INSERT statements running at once
   *   (PERISCOPE_INGEST_MAX_INFLIGHT); batches beyond wait in the bounded queue.
   */
  constructor(
    sink: RowSink,
    private readonly stats: IngestStats,
    concurrentInserts: number,
    onStored?: StoredBatchListener,
    queueOptions: Partial<InsertQueueOptions> = {},
  ) {
    this.queue = new InsertQueue(
      sink,
      stats,
      { ...DEFAULT_INSERT_QUEUE_OPTIONS, concurrentInserts, ...queueOptions },
      onStored,
      (agentId, batchSeq) => this.sequences.forget(agentId, batchSeq),
    );
  }

  /**
   * Remembers what a previous run stored (loadStoredSequences), so its
   * unanswered batches are not stored twice, and from now on records each
   * stored batch's number in storage for the next run.
   */
  restore(stored: StoredSequences): void {
    for (const { agentId, batchSeq } of stored.complete) this.sequences.remember(agentId, batchSeq);
    for (const { agentId, batchSeq } of stored.recordsOnly)
      this.recordsOnly.add(`${agentId}\u0000${batchSeq}`);
    this.persistSequences = true;
  }

  /** Lingers longer while nobody reads the data (insert-queue.ts, reader-activity.ts). */
  watchedBy(activity: ReaderActivity): void {
    this.queue.watchedBy(activity);
  }

  /** Offers every batch accepted from now on, once, to an export beside storage (otlp/otlp-exporter.ts). */
  exportTo(exporter: BatchExporter | undefined): void {
    this.exporter = exporter;
  }

  /** Decorates every batch from now on with this cluster's metadata (kubernetes/decorate.ts). */
  decorateWith(metadata: KubernetesMetadata | undefined): void {
    this.metadata = metadata;
  }

  /** Queue depth and whether storage is currently failing (for /metrics and stats). */
  get queueState(): { batches: number; rows: number; bytes: number; storageDown: boolean } {
    return { ...this.queue.depth, storageDown: this.queue.storageDown };
  }

  /** Resolves when every accepted batch has been stored (tests, shutdown). */
  drained(): Promise<void> {
    return this.queue.drained();
  }

  /**
   * Gives queued and held batches up to timeoutMs to reach storage, then stops
   * retrying; returns how many batches were still held (lost with the process).
   */
  async shutdown(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.queue.drained(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    this.queue.close();
    return this.queue.depth.batches;
  }

  async handle(request: ExportRequest): Promise<ExportOutcome> {
    const undecodable = undecodableReason(request);
    if (undecodable !== undefined) {
      this.stats.counters.batchesRejectedInvalid += 1;
      return { kind: "invalid", reason: undecodable };
    }
    const verdict = validateExportRequest(request);
    if (!verdict.ok) {
      this.stats.counters.batchesRejectedInvalid += 1;
      return { kind: "invalid", reason: verdict.reason };
    }
    this.stats.recordAgent(request.agentId, request.agent);
    const { agentId, batchSeq } = request;
    // Its records were stored by a run killed before it answered: only the rest is stored now.
    const recordsStored = this.recordsOnly.has(`${agentId}\u0000${batchSeq}`);
    if (recordsStored || this.sequences.isDuplicate(agentId, batchSeq)) testFaultPoint("retry");
    if (this.sequences.isDuplicate(agentId, batchSeq)) {
      this.stats.counters.batchesDuplicate += 1;
      return { kind: "duplicate" };
    }
    // A retry of a batch still queued or held waits for it: answered "duplicate"
    // at once, the agent would drop a batch that a crash could still lose.
    const queued = this.queue.waitFor(agentId, batchSeq);
    if (queued !== undefined) {
      const first = await queued;
      if (first.kind !== "stored" && first.kind !== "queued")
        return this.outcomeOf(first, request, undefined);
      this.stats.counters.batchesDuplicate += 1;
      return { kind: "duplicate" };
    }
    // Kubernetes identity (pod, workload, node, Service) joins each end before any row is built.
    decorateExportRequest(request, this.metadata);
    const requests = recordsStored ? [] : request.requests;
    const { rows: seriesRows, outcome: series } = this.acceptSeries(request);
    const extra: { table: string; rows: object[] }[] = [];
    if (request.connections.length > 0 || this.persistSequences) {
      extra.push({
        table: "connections",
        rows: request.connections.map((stats) => toConnectionRow(agentId, stats)),
      });
    }
    if (seriesRows.length > 0 || this.persistSequences)
      extra.push({ table: METRIC_SERIES_TABLE, rows: seriesRows });
    // Stacks before the samples that name them: a flame graph joins the two.
    const profile = this.acceptProfiles(request);
    if (profile.stacks.length > 0 || this.persistSequences)
      extra.push({ table: "profile_stacks", rows: profile.stacks });
    if (profile.samples.length > 0 || this.persistSequences)
      extra.push({ table: "profile_samples", rows: profile.samples });
    // Last, and every table listed in every batch (empty ones insert nothing):
    // the queue inserts a group's tables in the order they first appear, so
    // this row follows the batch's other rows into storage.
    if (this.persistSequences && batchSeq !== 0n) {
      extra.push({ table: INGESTED_BATCHES_TABLE, rows: [ingestedBatchRow(agentId, batchSeq)] });
    }
    const outcome = await this.queue.submit({ agentId, batchSeq, requests, extra });
    if (this.exporter !== undefined && (outcome.kind === "stored" || outcome.kind === "queued")) {
      this.exporter.offer(
        requests.map((record) => toRequestRow(agentId, record)),
        seriesRows,
      );
    }
    return this.outcomeOf(outcome, request, series);
  }

  private outcomeOf(
    outcome: SubmitOutcome,
    request: ExportRequest,
    series: SeriesOutcome | undefined,
  ): ExportOutcome {
    const { agentId, batchSeq } = request;
    switch (outcome.kind) {
      case "stored":
      case "queued":
        this.recordsOnly.delete(`${agentId}\u0000${batchSeq}`);
        this.sequences.remember(agentId, batchSeq);
        return {
          kind: "stored",
          accepted: request.requests.length,
          ...(request.metrics.length === 0 || series === undefined ? {} : { series }),
        };
      case "refused":
        this.stats.counters.batchesRefusedBusy += 1;
        return { kind: "busy", reason: outcome.reason };
      case "failed":
        return { kind: "storage-failed", cause: outcome.cause };
    }
  }

  /** Rows of the profile stacks and samples that pass validation; the others are counted by reason and logged once per batch. */
  private acceptProfiles(request: ExportRequest): { stacks: object[]; samples: object[] } {
    if (request.profiles.length === 0) return { stacks: [], samples: [] };
    const metadata = this.metadata;
    const rows = toProfileRows(
      request.agentId,
      request.profiles,
      Date.now(),
      metadata === undefined ? undefined : (containerId) => metadata.byContainerId(containerId),
    );
    for (const rejection of rows.rejections) this.stats.countProfileRejected(rejection.reason);
    this.stats.profiles.stacksAccepted += rows.stacks.length;
    this.stats.profiles.samplesAccepted += rows.samples.length;
    const first = rows.rejections[0];
    if (first !== undefined) {
      console.error(
        `periscope-collector: agent ${request.agentId} batch ${request.batchSeq}: ${rows.rejections.length} profile rows left out, first: ${first.detail}`,
      );
    }
    return rows;
  }

  /** Rows of the series that pass validation; the others are counted by reason and reported. */
  private acceptSeries(request: ExportRequest): { rows: MetricSeriesRow[]; outcome: SeriesOutcome } {
    const rows: MetricSeriesRow[] = [];
    const reasons: string[] = [];
    const now = Date.now();
    request.metrics.forEach((series, index) => {
      const rejection = seriesRejection(series, now);
      if (rejection === undefined) {
        const row = toMetricSeriesRow(request.agentId, series);
        const stored = this.peerBound.apply(row);
        if (stored !== row) this.stats.counters.seriesPeersFolded += 1;
        rows.push(stored);
        return;
      }
      this.stats.countSeriesRejected(rejection.reason);
      if (reasons.length < MAX_REASONS_REPORTED) reasons.push(`metrics[${index}]: ${rejection.detail}`);
    });
    const rejected = request.metrics.length - rows.length;
    const more = rejected > reasons.length ? ` (and ${rejected - reasons.length} more)` : "";
    return {
      rows,
      outcome: {
        accepted: rows.length,
        rejected,
        rejectedReason: rejected === 0 ? "" : `${reasons.join("; ")}${more}`,
      },
    };
  }
}
