// The ingest decision for one Export batch, independent of gRPC: validate,
// skip a retried duplicate, bound concurrent inserts, store in one insert.
import type { ExportRequest } from "@periscope/proto";
import { BatchSequenceMemory } from "./batch-sequence-memory.js";
import { validateExportRequest } from "./batch-validation.js";
import { toConnectionRow } from "./connection-row.js";
import type { IngestStats } from "./ingest-stats.js";
import { type RequestRow, toRequestRow } from "./request-row.js";

export type ExportOutcome =
  | { kind: "stored"; accepted: number }
  | { kind: "duplicate" }
  | { kind: "invalid"; reason: string }
  | { kind: "busy"; reason: string }
  | { kind: "storage-failed"; cause: unknown };

export interface RowSink {
  insertRows(table: string, rows: readonly object[]): Promise<void>;
}

/**
 * Told about every batch once it is stored (never about duplicates or
 * failures), with the rows exactly as stored — what live updates push to the UI.
 * Called synchronously after the insert; it must not throw or block.
 */
export type StoredBatchListener = (rows: readonly RequestRow[], agentId: string) => void;

export class ExportBatchHandler {
  private inflight = 0;
  private readonly sequences = new BatchSequenceMemory();

  constructor(
    private readonly sink: RowSink,
    private readonly stats: IngestStats,
    private readonly maxInflightInserts: number,
    private readonly onStored?: StoredBatchListener,
  ) {}

  async handle(request: ExportRequest): Promise<ExportOutcome> {
    const verdict = validateExportRequest(request);
    if (!verdict.ok) {
      this.stats.counters.batchesRejectedInvalid += 1;
      return { kind: "invalid", reason: verdict.reason };
    }
    this.stats.recordAgent(request.agentId, request.agent);
    if (this.sequences.isDuplicate(request.agentId, request.batchSeq)) {
      this.stats.counters.batchesDuplicate += 1;
      return { kind: "duplicate" };
    }
    if (this.inflight >= this.maxInflightInserts) {
      this.stats.counters.batchesRefusedBusy += 1;
      return { kind: "busy", reason: `collector is storing ${this.inflight} batches already; retry later` };
    }
    this.inflight += 1;
    let rows: RequestRow[];
    try {
      rows = request.requests.map((record) => toRequestRow(request.agentId, record));
      await this.sink.insertRows("requests", rows);
      // TCP health rows go to their own table. Not atomic with the requests
      // insert: a failure here has the agent retry the whole batch.
      if (request.connections.length > 0) {
        const connections = request.connections.map((stats) => toConnectionRow(request.agentId, stats));
        await this.sink.insertRows("connections", connections);
      }
    } catch (cause) {
      this.stats.counters.batchesFailedStorage += 1;
      return { kind: "storage-failed", cause };
    } finally {
      this.inflight -= 1;
    }
    this.sequences.remember(request.agentId, request.batchSeq);
    this.stats.counters.batchesStored += 1;
    this.stats.counters.recordsStored += request.requests.length;
    this.onStored?.(rows, request.agentId);
    return { kind: "stored", accepted: request.requests.length };
  }
}
