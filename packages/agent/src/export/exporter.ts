import * as grpc from "@grpc/grpc-js";
import {
  type AgentInfo,
  type ConnectionStats,
  create,
  ExportRequestSchema,
  type ExportResponse,
  ingestServiceDefinition,
  type MetricSeries,
  type RequestRecord,
} from "@periscope/proto";
import { Backoff } from "./backoff.js";

export interface ExporterOptions {
  /** host:port of the collector's gRPC ingest. */
  address: string;
  agentId: string;
  /** Read when a batch is sent, so drop counters are current. */
  agentInfo: () => AgentInfo;
  maxBatchRecords?: number;
  flushIntervalMs?: number;
  /** Sealed batches waiting to be sent; beyond this new batches are dropped. */
  maxPendingBatches?: number;
  /**
   * Export calls awaiting their answer at once. The collector answers once a
   * batch is stored and coalesces concurrent batches into one INSERT, so a
   * few in flight per agent make its inserts larger (cheaper per row) without
   * acknowledging anything before it is stored.
   */
  maxInFlightBatches?: number;
  /**
   * Metric series waiting for a batch; beyond this the oldest are dropped
   * (counted). They wait apart from records so that a full record queue
   * never costs a series: the series are what keep the map exact.
   */
  maxQueuedSeries?: number;
  /** Series carried by one batch. */
  maxBatchSeries?: number;
  /** An empty batch goes out this often when idle, carrying AgentInfo (drop counters). */
  heartbeatIntervalMs?: number;
  requestTimeoutMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** TLS or plaintext (the default); see collector-credentials.ts. */
  credentials?: grpc.ChannelCredentials;
  /** Sent as `authorization: Bearer …` on every Export call when the collector requires an agent token. */
  token?: string;
}

export interface ExporterCounters {
  batchesSent: number;
  recordsSent: number;
  /** Records lost because the pending-batch queue was full. */
  recordsDropped: number;
  batchesDropped: number;
  retries: number;
  /** TCP health records lost because the pending-batch queue was full or the exporter closed. */
  connectionStatsDropped: number;
  /** Metric series the collector accepted. */
  seriesSent: number;
  /** Metric series lost: their queue was full (oldest first) or the exporter closed. */
  seriesDropped: number;
}

interface PendingBatch {
  seq: bigint;
  records: RequestRecord[];
  connections: ConnectionStats[];
  metrics: MetricSeries[];
}

/**
 * Sends records to the collector in batches: one unary Export call per batch,
 * flushed at `maxBatchRecords` or every `flushIntervalMs`. Batches go out in
 * order, up to `maxInFlightBatches` at once, so they may be stored out of
 * order (every record carries its own time). A failed batch is retried with the
 * same batch_seq so the collector can drop duplicates; it remembers a window
 * of recent numbers per agent (batch-sequence-memory.ts). Numbering starts
 * from the clock (ms × 1000), so a restarted agent never reuses a number the
 * collector still remembers from its previous run.
 */
export class Exporter {
  readonly counters: ExporterCounters = {
    batchesSent: 0,
    recordsSent: 0,
    recordsDropped: 0,
    batchesDropped: 0,
    retries: 0,
    connectionStatsDropped: 0,
    seriesSent: 0,
    seriesDropped: 0,
  };
  private readonly client: grpc.Client;
  private readonly backoff: Backoff;
  private readonly token: string | undefined;
  private readonly settings: Required<Omit<ExporterOptions, "credentials" | "token">>;
  private current: RequestRecord[] = [];
  private currentConnections: ConnectionStats[] = [];
  private queuedSeries: MetricSeries[] = [];
  private readonly pending: PendingBatch[] = [];
  private nextSeq = BigInt(Date.now()) * 1000n;
  /** Batches of `pending` whose Export call has not answered yet. */
  private readonly inFlight = new Set<PendingBatch>();
  private closed = false;
  private lastSendMs = Date.now();
  private readonly flushTimer: NodeJS.Timeout;
  private retryTimer: NodeJS.Timeout | undefined;
  private drainedWaiters: Array<() => void> = [];

  constructor(options: ExporterOptions) {
    this.settings = {
      maxBatchRecords: 512,
      flushIntervalMs: 1000,
      maxPendingBatches: 64,
      maxInFlightBatches: 4,
      maxQueuedSeries: 50_000,
      maxBatchSeries: 4_096,
      heartbeatIntervalMs: 10_000,
      requestTimeoutMs: 10_000,
      retryInitialMs: 250,
      retryMaxMs: 10_000,
      ...withoutUndefined(options),
      address: options.address,
      agentId: options.agentId,
      agentInfo: options.agentInfo,
    };
    this.token = options.token;
    this.client = new grpc.Client(options.address, options.credentials ?? grpc.credentials.createInsecure());
    this.backoff = new Backoff(this.settings.retryInitialMs, this.settings.retryMaxMs);
    this.flushTimer = setInterval(() => this.onTick(), this.settings.flushIntervalMs);
    // The tracer decides when the agent lives; an exporter timer must not keep it up.
    this.flushTimer.unref();
  }

  get pendingBatches(): number {
    return this.pending.length;
  }

  add(record: RequestRecord): void {
    if (this.closed) {
      this.counters.recordsDropped++;
      return;
    }
    this.current.push(record);
    if (this.current.length >= this.settings.maxBatchRecords) this.flush();
  }

  /** TCP health records of one interval; they travel in the same batches as requests. */
  addConnections(stats: readonly ConnectionStats[]): void {
    if (this.closed) {
      this.counters.connectionStatsDropped += stats.length;
      return;
    }
    // One interval can hold thousands of connections: batches stay within maxBatchRecords.
    for (const connection of stats) {
      this.currentConnections.push(connection);
      if (this.current.length + this.currentConnections.length >= this.settings.maxBatchRecords) this.flush();
    }
  }

  /**
   * Metric series of closed intervals: they ride with the next batches
   * (a batch is sealed for them within flushIntervalMs when no records come).
   */
  addMetrics(series: readonly MetricSeries[]): void {
    if (this.closed) {
      this.counters.seriesDropped += series.length;
      return;
    }
    for (const one of series) this.queuedSeries.push(one);
    const excess = this.queuedSeries.length - this.settings.maxQueuedSeries;
    if (excess > 0) {
      this.queuedSeries.splice(0, excess);
      this.counters.seriesDropped += excess;
    }
  }

  /** Metric series waiting for a batch. */
  get queuedMetricSeries(): number {
    return this.queuedSeries.length;
  }

  /** Seals the records and series gathered so far into a batch and starts sending it. */
  flush(): void {
    if (this.current.length === 0 && this.currentConnections.length === 0 && this.queuedSeries.length === 0)
      return;
    this.seal(this.current, this.currentConnections);
    this.current = [];
    this.currentConnections = [];
  }

  /** Flushes, waits for pending batches to be accepted (or `timeoutMs`), then closes the channel. */
  async close(timeoutMs = 5000): Promise<void> {
    this.flush();
    this.closed = true;
    clearInterval(this.flushTimer);
    if (this.pending.length > 0) {
      // A batch waiting out a backoff is tried once more right away.
      if (this.retryTimer !== undefined) {
        clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
        this.sendNext();
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.drainedWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    const unsent = this.pending.reduce((sum, batch) => sum + batch.records.length, 0);
    this.counters.recordsDropped += unsent;
    this.counters.seriesDropped +=
      this.queuedSeries.length + this.pending.reduce((sum, batch) => sum + batch.metrics.length, 0);
    this.queuedSeries = [];
    this.counters.connectionStatsDropped += this.pending.reduce(
      (sum, batch) => sum + batch.connections.length,
      0,
    );
    this.pending.length = 0;
    this.client.close();
  }

  private onTick(): void {
    if (this.current.length > 0 || this.currentConnections.length > 0 || this.queuedSeries.length > 0)
      this.flush();
    else if (this.pending.length === 0 && Date.now() - this.lastSendMs >= this.settings.heartbeatIntervalMs) {
      this.seal([]);
    }
  }

  private seal(records: RequestRecord[], connections: ConnectionStats[] = []): void {
    if (this.pending.length >= this.settings.maxPendingBatches) {
      // The series stay queued for a later batch; only their own bound drops them.
      if (records.length === 0 && connections.length === 0) return;
      this.counters.batchesDropped++;
      this.counters.recordsDropped += records.length;
      this.counters.connectionStatsDropped += connections.length;
      return;
    }
    const metrics =
      this.queuedSeries.length <= this.settings.maxBatchSeries
        ? this.queuedSeries
        : this.queuedSeries.slice(0, this.settings.maxBatchSeries);
    this.queuedSeries = metrics === this.queuedSeries ? [] : this.queuedSeries.slice(metrics.length);
    this.pending.push({ seq: this.nextSeq++, records, connections, metrics });
    if (this.retryTimer === undefined) this.sendNext();
  }

  /** Starts calls for the oldest batches not in flight, up to maxInFlightBatches. */
  private sendNext(): void {
    if (this.pending.length === 0) {
      for (const waiter of this.drainedWaiters.splice(0)) waiter();
      return;
    }
    for (const batch of this.pending) {
      if (this.inFlight.size >= this.settings.maxInFlightBatches) return;
      if (!this.inFlight.has(batch)) this.send(batch);
    }
  }

  private send(batch: PendingBatch): void {
    this.inFlight.add(batch);
    this.lastSendMs = Date.now();
    const request = create(ExportRequestSchema, {
      agentId: this.settings.agentId,
      batchSeq: batch.seq,
      agent: this.settings.agentInfo(),
      requests: batch.records,
      connections: batch.connections,
      metrics: batch.metrics,
    });
    const { export: method } = ingestServiceDefinition;
    const metadata = new grpc.Metadata();
    if (this.token !== undefined) metadata.set("authorization", `Bearer ${this.token}`);
    this.client.makeUnaryRequest<typeof request, ExportResponse>(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      metadata,
      { deadline: Date.now() + this.settings.requestTimeoutMs },
      (error) => {
        this.inFlight.delete(batch);
        if (error !== null) {
          this.scheduleRetry();
          return;
        }
        this.pending.splice(this.pending.indexOf(batch), 1);
        this.backoff.reset();
        this.counters.batchesSent++;
        this.counters.recordsSent += batch.records.length;
        this.counters.seriesSent += batch.metrics.length;
        // While a retry waits out its backoff, nothing new goes out.
        if (this.retryTimer === undefined || this.pending.length === 0) this.sendNext();
      },
    );
  }

  private scheduleRetry(): void {
    this.counters.retries++;
    if (this.closed) {
      // Closing: one more try is all a shutdown can wait for.
      if (this.inFlight.size === 0) for (const waiter of this.drainedWaiters.splice(0)) waiter();
      return;
    }
    // Several calls in flight may fail together: one backoff covers them all.
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.sendNext();
    }, this.backoff.nextDelayMs());
    this.retryTimer.unref();
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
