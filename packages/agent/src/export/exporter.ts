import * as grpc from "@grpc/grpc-js";
import {
  type ConnectionStats,
  create,
  ExportRequestSchema,
  type ExportResponse,
  ingestServiceDefinition,
  type MetricSeries,
  type ProfileSamples,
  type RequestRecord,
} from "@periscope/proto";
import { Backoff } from "./backoff.js";
import { BatchSpool } from "./batch-spool.js";
import { contentRejection } from "./content-rejection.js";
import type {
  ExportBacklogState,
  ExportDelivery,
  ExporterCounters,
  ExporterOptions,
} from "./exporter-options.js";

/** Profiling intervals held for the next batch; more waiting means the collector is away: oldest go. */
const MAX_QUEUED_PROFILES = 8;

interface PendingBatch {
  seq: bigint;
  records: RequestRecord[];
  connections: ConnectionStats[];
  metrics: MetricSeries[];
  profiles: ProfileSamples[];
  sealedAtMs: number;
  /** Its file stays in the spool until the collector acknowledges it. */
  fromSpool: boolean;
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
    batchesRejected: 0,
    profilesDropped: 0,
  };
  readonly spool: BatchSpool | undefined;
  private readonly client: grpc.Client;
  private readonly backoff: Backoff;
  private readonly token: string | undefined;
  private readonly settings: Required<
    Omit<ExporterOptions, "credentials" | "token" | "spoolDir" | "spoolMaxBytes" | "log">
  >;
  private readonly log: (message: string) => void;
  private current: RequestRecord[] = [];
  private currentConnections: ConnectionStats[] = [];
  private queuedSeries: MetricSeries[] = [];
  /** Profiling intervals waiting for a batch (one per interval, ≤ 15 s each). */
  private queuedProfiles: ProfileSamples[] = [];
  private readonly pending: PendingBatch[] = [];
  private nextSeq = BigInt(Date.now()) * 1000n;
  /** Batches of `pending` whose Export call has not answered yet. */
  private readonly inFlight = new Set<PendingBatch>();
  private closed = false;
  private lastSendMs = Date.now();
  private readonly flushTimer: NodeJS.Timeout;
  private retryTimer: NodeJS.Timeout | undefined;
  private drainedWaiters: Array<() => void> = [];
  private deliveryState: ExportDelivery = {
    state: "starting",
    batchesSent: 0,
    collectorReachable: undefined,
  };
  /** Set while the agent is short of memory (memory-guard.ts): fewer batches stay in memory. */
  private memoryShort = false;

  constructor(options: ExporterOptions) {
    this.settings = {
      maxBatchRecords: 512,
      flushIntervalMs: 1000,
      maxPendingBatches: 64,
      maxInFlightBatches: 16,
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
    this.log = options.log ?? ((message) => console.error(`periscope-agent: ${message}`));
    this.spool = this.openSpool(options);
    this.client = new grpc.Client(options.address, options.credentials ?? grpc.credentials.createInsecure());
    this.backoff = new Backoff(this.settings.retryInitialMs, this.settings.retryMaxMs);
    this.flushTimer = setInterval(() => this.onTick(), this.settings.flushIntervalMs);
    // The tracer decides when the agent lives; an exporter timer must not keep it up.
    this.flushTimer.unref();
    // What an earlier run spooled goes out first — once the caller holds this
    // exporter: sending reads agentInfo(), which may read the exporter's counters.
    if (this.spool?.hasUnread) setImmediate(() => this.sendNext());
  }

  private openSpool(options: ExporterOptions): BatchSpool | undefined {
    if (options.spoolDir === undefined || options.spoolDir === "") return undefined;
    try {
      return new BatchSpool(options.spoolDir, options.spoolMaxBytes ?? 256 * 1024 * 1024, (dropped) => {
        this.counters.batchesDropped++;
        this.counters.recordsDropped += dropped.records;
        this.counters.connectionStatsDropped += dropped.connections;
        this.counters.seriesDropped += dropped.series;
      });
    } catch (error) {
      // Without a spool the agent still exports; only an outage beyond memory loses more.
      this.log(`disk spool disabled: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** Batches held unacknowledged, in memory and on disk. */
  backlog(now = Date.now()): ExportBacklogState {
    const oldestPending = this.pending.reduce((oldest, batch) => Math.min(oldest, batch.sealedAtMs), now);
    const oldestSpooled = this.spool?.oldestSealedAtMs ?? now;
    return {
      pendingBatches: this.pending.length,
      inFlightBatches: this.inFlight.size,
      oldestPendingAgeMs: Math.max(0, now - oldestPending),
      spoolBatches: this.spool?.depth.batches ?? 0,
      spoolBytes: this.spool?.depth.bytes ?? 0,
      spoolOldestAgeMs: Math.max(0, Math.round(now - oldestSpooled)),
    };
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

  /** One profiling interval; it rides with the next batch, like metric series. */
  addProfiles(profile: ProfileSamples): void {
    if (this.closed) {
      this.counters.profilesDropped++;
      return;
    }
    this.queuedProfiles.push(profile);
    if (this.queuedProfiles.length > MAX_QUEUED_PROFILES) {
      this.queuedProfiles.shift();
      this.counters.profilesDropped++;
    }
  }

  private hasQueued(): boolean {
    return this.queuedSeries.length > 0 || this.queuedProfiles.length > 0;
  }

  /** Metric series waiting for a batch. */
  get queuedMetricSeries(): number {
    return this.queuedSeries.length;
  }

  /** Where delivery to the collector stands (GET /v1/ready). */
  delivery(): ExportDelivery {
    return { ...this.deliveryState, batchesSent: this.counters.batchesSent };
  }

  /**
   * Sends an empty batch now unless one is underway: at start, so the
   * collector learns of this agent, and readiness of the collector, at once
   * rather than at the first heartbeat.
   */
  heartbeat(): void {
    if (!this.closed && this.pending.length === 0) this.seal([]);
  }

  /** Batches kept in memory at most now: a quarter of the bound while memory is short. */
  private get pendingBound(): number {
    const bound = this.settings.maxPendingBatches;
    return this.memoryShort ? Math.max(1, Math.floor(bound / 4)) : bound;
  }

  /**
   * Memory short (memory-guard.ts) or not. While short, fewer batches stay in
   * memory: those beyond the reduced bound and not in flight leave now — to
   * the spool when there is one (spooled ones already on disk are just let go
   * from memory), else dropped and counted as a full queue drops them. Their
   * metric series go back to the series queue: series are never shed.
   * Called again while still short, it sheds again.
   */
  setMemoryShort(short: boolean): void {
    this.memoryShort = short;
    if (!short) {
      // Room again: what waits on disk comes back.
      if (this.retryTimer === undefined) this.sendNext();
      return;
    }
    // Records gathered for the next batch are shed too (TCP health records stay:
    // they are sealed, and spooled or dropped, as a full queue handles them).
    this.counters.recordsDropped += this.current.length;
    this.current = [];
    const keep = this.pendingBound;
    const waiting = this.pending.filter((batch) => !this.inFlight.has(batch));
    const excess = this.pending.length - keep;
    // Newest first: the oldest batches are next to go out.
    for (const batch of waiting.reverse().slice(0, Math.max(0, excess))) this.shed(batch);
  }

  private shed(batch: PendingBatch): void {
    this.pending.splice(this.pending.indexOf(batch), 1);
    if (batch.fromSpool) {
      this.spool?.unload(batch.seq);
      return;
    }
    if (this.spool?.write(this.requestOf(batch), batch.sealedAtMs)) return;
    this.counters.batchesDropped++;
    this.counters.recordsDropped += batch.records.length;
    this.counters.connectionStatsDropped += batch.connections.length;
    this.counters.profilesDropped += batch.profiles.length;
    // The batch's series wait for a later one, within their own bound.
    this.queuedSeries = [...batch.metrics, ...this.queuedSeries];
    const excess = this.queuedSeries.length - this.settings.maxQueuedSeries;
    if (excess > 0) {
      this.queuedSeries.splice(0, excess);
      this.counters.seriesDropped += excess;
    }
  }

  /** Seals the records and series gathered so far into a batch and starts sending it. */
  flush(): void {
    if (this.current.length === 0 && this.currentConnections.length === 0 && !this.hasQueued()) return;
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
    this.spoolUnacknowledged();
    const unsent = this.pending.reduce((sum, batch) => sum + batch.records.length, 0);
    this.counters.recordsDropped += unsent;
    this.counters.seriesDropped +=
      this.queuedSeries.length + this.pending.reduce((sum, batch) => sum + batch.metrics.length, 0);
    this.queuedSeries = [];
    this.counters.profilesDropped +=
      this.queuedProfiles.length + this.pending.reduce((sum, batch) => sum + batch.profiles.length, 0);
    this.queuedProfiles = [];
    this.counters.connectionStatsDropped += this.pending.reduce(
      (sum, batch) => sum + batch.connections.length,
      0,
    );
    this.pending.length = 0;
    this.client.close();
  }

  /** At close, with a spool: what the collector has not acknowledged waits on disk for the next run. */
  private spoolUnacknowledged(): void {
    if (this.spool === undefined) return;
    // Series still queued are sealed too: they are counted nowhere else.
    while (this.hasQueued()) this.pending.push(this.nextBatch([], []));
    for (const batch of this.pending.splice(0)) {
      if (batch.fromSpool || this.spool.write(this.requestOf(batch), batch.sealedAtMs)) continue;
      this.pending.push(batch); // the write failed: counted as dropped below
    }
  }

  private onTick(): void {
    if (this.current.length > 0 || this.currentConnections.length > 0 || this.hasQueued()) this.flush();
    else if (this.pending.length === 0 && Date.now() - this.lastSendMs >= this.settings.heartbeatIntervalMs) {
      this.seal([]);
    }
  }

  private seal(records: RequestRecord[], connections: ConnectionStats[] = []): void {
    // Once anything waits on disk, newer batches queue behind it there: oldest first.
    const spoolFirst = this.spool?.hasUnread === true;
    if (this.spool !== undefined && (spoolFirst || this.pending.length >= this.pendingBound)) {
      if (records.length === 0 && connections.length === 0 && !this.hasQueued()) return;
      const batch = this.nextBatch(records, connections);
      if (this.spool.write(this.requestOf(batch), batch.sealedAtMs)) return;
      this.counters.batchesDropped++;
      this.counters.recordsDropped += batch.records.length;
      this.counters.connectionStatsDropped += batch.connections.length;
      this.counters.seriesDropped += batch.metrics.length;
      this.counters.profilesDropped += batch.profiles.length;
      return;
    }
    if (this.pending.length >= this.pendingBound) {
      // The series stay queued for a later batch; only their own bound drops them.
      if (records.length === 0 && connections.length === 0) return;
      this.counters.batchesDropped++;
      this.counters.recordsDropped += records.length;
      this.counters.connectionStatsDropped += connections.length;
      return;
    }
    this.pending.push(this.nextBatch(records, connections));
    if (this.retryTimer === undefined) this.sendNext();
  }

  /** A new batch of these records and connections with the next queued series. */
  private nextBatch(records: RequestRecord[], connections: ConnectionStats[]): PendingBatch {
    const metrics =
      this.queuedSeries.length <= this.settings.maxBatchSeries
        ? this.queuedSeries
        : this.queuedSeries.slice(0, this.settings.maxBatchSeries);
    this.queuedSeries = metrics === this.queuedSeries ? [] : this.queuedSeries.slice(metrics.length);
    const profiles = this.queuedProfiles;
    this.queuedProfiles = [];
    return {
      seq: this.nextSeq++,
      records,
      connections,
      metrics,
      profiles,
      sealedAtMs: Date.now(),
      fromSpool: false,
    };
  }

  private requestOf(batch: PendingBatch) {
    return create(ExportRequestSchema, {
      agentId: this.settings.agentId,
      batchSeq: batch.seq,
      requests: batch.records,
      connections: batch.connections,
      metrics: batch.metrics,
      profiles: batch.profiles,
    });
  }

  /**
   * Spooled batches come back into memory, oldest first, as room frees up —
   * while closing too: what close() cannot send in time stays on disk.
   */
  private refillFromSpool(): void {
    if (this.spool === undefined) return;
    while (this.pending.length < this.pendingBound && this.spool.hasUnread) {
      const spooled = this.spool.readOldest();
      if (spooled === undefined) return;
      const { request, sealedAtMs } = spooled;
      this.pending.push({
        seq: request.batchSeq,
        records: request.requests,
        connections: request.connections,
        metrics: request.metrics,
        profiles: request.profiles,
        sealedAtMs,
        fromSpool: true,
      });
    }
  }

  /** Starts calls for the oldest batches not in flight, up to maxInFlightBatches. */
  private sendNext(): void {
    this.refillFromSpool();
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
    const { export: method } = ingestServiceDefinition;
    const request = this.requestOf(batch);
    request.agent = this.settings.agentInfo();
    let bytes: Buffer;
    try {
      // Encoded here rather than by grpc-js, so a batch that cannot be encoded is told apart.
      bytes = method.requestSerialize(request);
    } catch (error) {
      this.reject(
        batch,
        `it could not be encoded: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    this.inFlight.add(batch);
    this.lastSendMs = Date.now();
    const metadata = new grpc.Metadata();
    if (this.token !== undefined) metadata.set("authorization", `Bearer ${this.token}`);
    this.client.makeUnaryRequest<Buffer, ExportResponse>(
      method.path,
      (encoded) => encoded,
      method.responseDeserialize,
      bytes,
      metadata,
      { deadline: Date.now() + this.settings.requestTimeoutMs },
      (error) => {
        this.inFlight.delete(batch);
        if (error !== null) {
          this.noteFailure(error);
          const rejection = contentRejection(error);
          if (rejection === undefined) this.scheduleRetry();
          else this.reject(batch, rejection);
          return;
        }
        if (!this.forget(batch)) return; // dropped meanwhile (close)
        this.backoff.reset();
        this.counters.batchesSent++;
        this.deliveryState = {
          state: "delivered",
          batchesSent: this.counters.batchesSent,
          collectorReachable: true,
        };
        this.counters.recordsSent += batch.records.length;
        this.counters.seriesSent += batch.metrics.length;
        // While a retry waits out its backoff, nothing new goes out.
        if (this.retryTimer === undefined || this.pending.length === 0) this.sendNext();
      },
    );
  }

  private noteFailure(error: grpc.ServiceError): void {
    // UNAVAILABLE and DEADLINE_EXCEEDED come from the collector too (its storage
    // is down, it is slow) or from grpc-js itself (nothing listens, DNS, TLS):
    // the channel is READY only in the first case.
    const maybeLocal = error.code === grpc.status.UNAVAILABLE || error.code === grpc.status.DEADLINE_EXCEEDED;
    const connected = this.client.getChannel().getConnectivityState(false) === grpc.connectivityState.READY;
    this.deliveryState = {
      state: "retrying",
      batchesSent: this.counters.batchesSent,
      collectorReachable: !maybeLocal || connected,
      lastError: `${grpc.status[error.code] ?? error.code}: ${error.details || error.message}`,
    };
  }

  /** Takes a batch out of memory (and its file out of the spool); false if it was not there. */
  private forget(batch: PendingBatch): boolean {
    const index = this.pending.indexOf(batch);
    if (index < 0) return false;
    this.pending.splice(index, 1);
    if (batch.fromSpool) this.spool?.remove(batch.seq);
    return true;
  }

  /**
   * A batch refused for its content is not sent as it is again. Its TCP
   * health records go first (the part that broke issue #14's batch), and the
   * rest is tried once more at once; refused again, it is dropped. Each
   * step is counted and said once.
   */
  private reject(batch: PendingBatch, reason: string): void {
    if (batch.connections.length > 0) {
      this.counters.connectionStatsDropped += batch.connections.length;
      this.log(
        `batch ${batch.seq} was refused (${reason}); sending it again without its ${batch.connections.length} TCP health records`,
      );
      batch.connections = [];
    } else if (this.forget(batch)) {
      this.counters.batchesRejected++;
      this.counters.batchesDropped++;
      this.counters.recordsDropped += batch.records.length;
      this.counters.seriesDropped += batch.metrics.length;
      this.counters.profilesDropped += batch.profiles.length;
      this.log(
        `batch ${batch.seq} dropped (${reason}): ${batch.records.length} records, ${batch.metrics.length} metric series`,
      );
    }
    if (this.closed && this.inFlight.size === 0 && this.pending.length === 0) {
      for (const waiter of this.drainedWaiters.splice(0)) waiter();
      return;
    }
    if (this.retryTimer === undefined) queueMicrotask(() => this.sendNext());
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
