// Times every Export batch and tracks how many are in flight, around the
// ingest handler's own logic (which stays free of metrics).
import type { ExportRequest } from "@periscope/proto";
import { ExportBatchHandler, type ExportOutcome } from "../ingest/export-batch-handler.js";
import type { CollectorMetrics } from "./collector-metrics.js";

const OUTCOME_LABEL: Record<ExportOutcome["kind"], string> = {
  stored: "stored",
  duplicate: "duplicate",
  invalid: "invalid",
  busy: "busy",
  "storage-failed": "storage_failed",
};

export class MeasuredExportBatchHandler extends ExportBatchHandler {
  private metrics: CollectorMetrics | undefined;

  measureWith(metrics: CollectorMetrics): this {
    this.metrics = metrics;
    metrics.watchIngestQueue(this);
    return this;
  }

  override async handle(request: ExportRequest): Promise<ExportOutcome> {
    const metrics = this.metrics;
    if (metrics === undefined) return super.handle(request);
    metrics.batchesInFlight.inc();
    const stop = metrics.batchDuration.startTimer();
    let outcome: ExportOutcome | undefined;
    try {
      outcome = await super.handle(request);
      return outcome;
    } finally {
      metrics.batchesInFlight.dec();
      stop({ outcome: outcome === undefined ? "error" : OUTCOME_LABEL[outcome.kind] });
    }
  }
}
