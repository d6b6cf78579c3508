// Coalesces accepted Export batches into few large INSERTs, and holds them
// while storage is down.
//
// Why: each INSERT writes a new part per table and per materialized view, a
// fixed cost that dominates small inserts (measured in bench/: ~30k rows/s at
// 5k rows per insert, several times that at 100k). Agents send ~1k-record
// batches from many hosts at once; taking everything queued when an insert
// finishes turns them into one statement.
//
// Linger: an insert starts at most once per linger (each table once per
// insert) unless maxRowsPerInsert rows are waiting, or one agent has
// agentBatchesToFlush batches waiting; a batch arriving after a quiet spell
// goes at once. At modest rates inserts finish in milliseconds, so without it
// every agent's 1 s flush was its own insert and ~9 parts, and the engine's
// merges of those parts were most of the collector's CPU (src/storage/README.md,
// Steady-state cost). The linger is lingerMs (1 s) while someone reads the
// data (reader-activity.ts) and idleLingerMs (5 s) otherwise: at 1,000
// records/s the longer one cut the collector's CPU by a third (same README).
// Agents keep 16 calls in flight, so waiting 5 s for the acknowledgement does
// not stall a 1 s flush; an agent that sends faster fills half its window
// first, and that starts the insert.
//
// Bounds: queued rows and bytes are capped (config). A batch that does not
// fit is refused — counted — and the agent keeps it and retries
// (RESOURCE_EXHAUSTED). While storage is up, a submitter waits for its batch
// to be stored, and so does an agent's retry of a batch still queued (waitFor).
// When an insert fails with a transient error (storage unreachable,
// overloaded), its batches and everything arriving after are held, in order,
// until an insert succeeds again (retried with backoff) — and still not
// acknowledged: the agent keeps each batch (memory, then its disk spool) until
// its answer comes, so a collector killed during an outage loses nothing
// (issue #14; acknowledging held batches lost them with the process). Held
// batches keep only their serialised form, bounding memory by the TSV.

import type { RequestRecord } from "@periscope/proto";
import { isTransientStorageError } from "../storage/storage-errors.js";
import type { IngestStats } from "./ingest-stats.js";
import { type RequestRow, toRequestRow } from "./request-row.js";
import { REQUEST_COLUMNS, requestRecordsToTsv } from "./request-tsv.js";

/** The input table of the metric roll-ups (migration 0013); its rows come as `extra`. */
export const METRIC_SERIES_TABLE = "metric_series";

export interface RowSink {
  insertRows(table: string, rows: readonly object[]): Promise<void>;
  /** Used for the requests table when present (both storage backends have it). */
  insertTsv?(table: string, columns: readonly string[], body: Buffer): Promise<void>;
}

export interface InsertQueueOptions {
  /** INSERT statements running at once. */
  concurrentInserts: number;
  /** Rows taken into one INSERT at most; this many waiting start an insert before lingerMs is up. */
  maxRowsPerInsert: number;
  /** While someone reads the data, an insert starts at most once per this many ms (0: whenever one finishes). */
  lingerMs: number;
  /** The same while nobody does (no API read for a minute, no live subscriber). */
  idleLingerMs: number;
  /** One agent's batches waiting that start an insert before the linger is up (half its in-flight window). */
  agentBatchesToFlush: number;
  /** Rows (all tables) queued or held at most. */
  maxQueuedRows: number;
  /** Serialised bytes queued or held at most. */
  maxQueuedBytes: number;
  /** First retry delay after a transient failure; doubles up to maxRetryDelayMs. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /**
   * "stored": a submitter waits until its batch is stored (while storage is
   * up). "queued": it is acknowledged once queued, so agents that send one
   * batch at a time do not wait on insert latency and inserts grow to
   * maxRowsPerInsert — at the price that a collector crash loses what is
   * queued (bounded), as it does during an outage in either mode.
   */
  acknowledge: "stored" | "queued";
}

export const DEFAULT_INSERT_QUEUE_OPTIONS: InsertQueueOptions = {
  concurrentInserts: 2,
  maxRowsPerInsert: 100_000,
  lingerMs: 1_000,
  idleLingerMs: 5_000,
  agentBatchesToFlush: 8,
  maxQueuedRows: 1_000_000,
  maxQueuedBytes: 256 * 1024 * 1024,
  retryDelayMs: 250,
  maxRetryDelayMs: 10_000,
  acknowledge: "stored",
};

export type SubmitOutcome =
  | { kind: "stored" }
  | { kind: "queued" }
  | { kind: "refused"; reason: string }
  | { kind: "failed"; cause: unknown };

export interface BatchRows {
  agentId: string;
  batchSeq: bigint;
  /** Validated records of the requests table, as decoded. */
  requests: readonly RequestRecord[];
  /** Rows of other tables (connections, …), inserted as JSONEachRow. */
  extra: { table: string; rows: object[] }[];
}

interface QueuedBatch {
  batch: BatchRows;
  /**
   * For the stored listener, which gets rows made from them after the insert
   * (rows are not built, nor kept through the insert, when TSV is written).
   * Dropped once the batch is held through an outage, to bound memory by the TSV.
   */
  records: readonly RequestRecord[] | undefined;
  /**
   * UTF-8 bytes, encoded once per batch: an insert concatenates Buffers
   * (a memcpy), where joining thousands of batch strings and encoding the
   * result cost ~3 µs per row on the event loop (src/storage/README.md).
   */
  tsv: Buffer;
  rowCount: number;
  requestCount: number;
  seriesCount: number;
  bytes: number;
  requestsStored: boolean;
  storedExtra: Set<string>;
  taken: boolean;
  /** The submitter and any retries of the same batch, told its outcome once it has one. */
  waiters: ((outcome: SubmitOutcome) => void)[];
  /** Answered before it was stored (acknowledge "queued"): a later failure loses it. */
  acknowledged: boolean;
  /** Counted once in batchesBuffered when an outage first holds it. */
  held: boolean;
  /** A batch whose combined insert failed for good is retried alone, to tell which one is bad. */
  alone: boolean;
}

/** Told of each stored batch; `rows()` builds its rows, so a listener with no use for them costs nothing. */
export type StoredListener = (rows: () => readonly RequestRow[], agentId: string) => void;

function extraBytes(extra: BatchRows["extra"]): number {
  let bytes = 0;
  for (const { rows } of extra) bytes += rows.length * 256; // estimate; these tables are small
  return bytes;
}

export class InsertQueue {
  private readonly queue: QueuedBatch[] = [];
  private readonly pending = new Map<string, QueuedBatch>();
  private queuedRows = 0;
  private queuedBytes = 0;
  private active = 0;
  private outage = false;
  private retryDelay: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private lastInsertStartMs = Number.NEGATIVE_INFINITY;
  /** When the pending linger timer fires (performance.now()), to move it earlier when a reader arrives. */
  private lingerDueMs = Number.POSITIVE_INFINITY;
  /** Rows and, per agent, batches queued and not yet taken into an insert. */
  private untakenRows = 0;
  private readonly untakenByAgent = new Map<string, number>();
  private watched: () => boolean = () => true;
  private closed = false;
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly sink: RowSink,
    private readonly stats: IngestStats,
    private readonly options: InsertQueueOptions,
    private readonly onStored?: StoredListener,
    /** Told when a batch is finally refused after it was acknowledged (it must be un-remembered). */
    private readonly onLost?: (agentId: string, batchSeq: bigint) => void,
  ) {
    this.retryDelay = options.retryDelayMs;
  }

  get storageDown(): boolean {
    return this.outage;
  }

  get depth(): { batches: number; rows: number; bytes: number } {
    return { batches: this.queue.length, rows: this.queuedRows, bytes: this.queuedBytes };
  }

  /**
   * Lingers for idleLingerMs while `activity` says nobody reads the data, and
   * inserts within lingerMs once someone does. Without it: always lingerMs.
   */
  watchedBy(activity: { readonly watched: boolean; onWatched(listener: () => void): void }): void {
    this.watched = () => activity.watched;
    activity.onWatched(() => this.pump());
  }

  submit(batch: BatchRows): Promise<SubmitOutcome> {
    const rowCount = batch.requests.length + batch.extra.reduce((sum, { rows }) => sum + rows.length, 0);
    const tsv = requestRecordsToTsv(batch.agentId, batch.requests, batch.batchSeq);
    const bytes = tsv.length + extraBytes(batch.extra);
    if (this.closed) return Promise.resolve({ kind: "refused", reason: "collector is shutting down" });
    if (
      this.queuedRows + rowCount > this.options.maxQueuedRows ||
      this.queuedBytes + bytes > this.options.maxQueuedBytes
    ) {
      this.stats.counters.batchesRefusedBufferFull += 1;
      const why = this.outage
        ? "storage is unavailable and the collector's buffer is full"
        : "the collector's insert queue is full";
      return Promise.resolve({ kind: "refused", reason: `${why}; retry later` });
    }
    const entry: QueuedBatch = {
      batch,
      records: batch.requests,
      tsv,
      rowCount,
      requestCount: batch.requests.length,
      seriesCount: batch.extra.reduce(
        (sum, { table, rows }) => sum + (table === METRIC_SERIES_TABLE ? rows.length : 0),
        0,
      ),
      bytes,
      requestsStored: batch.requests.length === 0,
      storedExtra: new Set(),
      taken: false,
      waiters: [],
      acknowledged: false,
      held: false,
      alone: false,
    };
    this.queue.push(entry);
    this.markUntaken(entry);
    this.queuedRows += rowCount;
    this.queuedBytes += bytes;
    if (batch.batchSeq !== 0n) this.pending.set(`${batch.agentId}\u0000${batch.batchSeq}`, entry);
    const outcome = new Promise<SubmitOutcome>((resolve) => entry.waiters.push(resolve));
    if (this.outage) this.hold(entry);
    else if (this.options.acknowledge === "queued") this.acknowledgeQueued(entry);
    this.pump();
    return outcome;
  }

  /**
   * The outcome of a batch still queued or held, for an agent's retry of it
   * (its first call timed out): it waits with the first, never answered early.
   */
  waitFor(agentId: string, batchSeq: bigint): Promise<SubmitOutcome> | undefined {
    const entry = batchSeq === 0n ? undefined : this.pending.get(`${agentId}\u0000${batchSeq}`);
    if (entry === undefined) return undefined;
    if (entry.acknowledged) return Promise.resolve({ kind: "queued" });
    return new Promise((resolve) => entry.waiters.push(resolve));
  }

  /** Resolves once nothing is queued or held (tests, graceful shutdown). */
  drained(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Stops retrying; what is still held is reported lost by the caller's logs. */
  close(): void {
    this.closed = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    if (this.lingerTimer !== undefined) clearTimeout(this.lingerTimer);
  }

  private acknowledgeQueued(entry: QueuedBatch): void {
    entry.acknowledged = true;
    for (const resolve of entry.waiters.splice(0)) resolve({ kind: "queued" });
  }

  /** Held through an outage: counted once, its records dropped (the TSV is kept); nobody is answered. */
  private hold(entry: QueuedBatch): void {
    if (entry.held) return;
    entry.held = true;
    this.stats.counters.batchesBuffered += 1;
    this.dropRecords(entry);
  }

  /** A held batch keeps only its TSV (the fallback insertRows path needs the records). */
  private dropRecords(entry: QueuedBatch): void {
    entry.records = undefined;
    if (this.sink.insertTsv !== undefined) entry.batch = { ...entry.batch, requests: [] };
  }

  private pump(): void {
    while (!this.closed && this.active < this.options.concurrentInserts && this.retryTimer === undefined) {
      if (!this.outage && this.lingering()) return;
      const group = this.takeGroup();
      if (group.length === 0) return;
      this.lastInsertStartMs = performance.now();
      this.active += 1;
      void this.insertGroup(group).finally(() => {
        this.active -= 1;
        this.pump();
      });
      // During an outage only one insert probes storage at a time.
      if (this.outage) return;
    }
  }

  /** True (and a pump scheduled) while the next insert should wait for more batches. */
  private lingering(): boolean {
    if (this.untakenRows === 0) return false;
    const lingerMs = this.watched() ? this.options.lingerMs : this.options.idleLingerMs;
    const dueMs = this.lastInsertStartMs + lingerMs;
    const waitMs = dueMs - performance.now();
    if (waitMs <= 0 || this.untakenRows >= this.options.maxRowsPerInsert || this.agentWaiting()) return false;
    // A reader arriving shortens the linger: a timer due later is replaced.
    if (this.lingerTimer !== undefined && this.lingerDueMs > dueMs) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
    }
    if (this.lingerTimer === undefined) {
      this.lingerDueMs = dueMs;
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = undefined;
        this.lingerDueMs = Number.POSITIVE_INFINITY;
        this.pump();
      }, waitMs);
    }
    return true;
  }

  /** Some agent has half its in-flight window waiting here: lingering on would stall its sending. */
  private agentWaiting(): boolean {
    for (const batches of this.untakenByAgent.values())
      if (batches >= this.options.agentBatchesToFlush) return true;
    return false;
  }

  private markTaken(entry: QueuedBatch): void {
    if (entry.taken) return;
    entry.taken = true;
    this.untakenRows -= entry.rowCount;
    const left = (this.untakenByAgent.get(entry.batch.agentId) ?? 1) - 1;
    if (left > 0) this.untakenByAgent.set(entry.batch.agentId, left);
    else this.untakenByAgent.delete(entry.batch.agentId);
  }

  private markUntaken(entry: QueuedBatch): void {
    entry.taken = false;
    this.untakenRows += entry.rowCount;
    this.untakenByAgent.set(entry.batch.agentId, (this.untakenByAgent.get(entry.batch.agentId) ?? 0) + 1);
  }

  private takeGroup(): QueuedBatch[] {
    const group: QueuedBatch[] = [];
    let rows = 0;
    for (const entry of this.queue) {
      if (entry.taken) continue;
      if (entry.alone) {
        if (group.length > 0) break;
        this.markTaken(entry);
        return [entry];
      }
      if (group.length > 0 && rows + entry.rowCount > this.options.maxRowsPerInsert) break;
      this.markTaken(entry);
      group.push(entry);
      rows += entry.rowCount;
    }
    return group;
  }

  private async insertGroup(group: QueuedBatch[]): Promise<void> {
    try {
      await this.insertRequests(group);
      await this.insertExtra(group);
    } catch (cause) {
      this.handleFailure(group, cause);
      return;
    }
    this.outage = false;
    this.retryDelay = this.options.retryDelayMs;
    for (const entry of group) this.complete(entry, { kind: "stored" });
  }

  private async insertRequests(group: QueuedBatch[]): Promise<void> {
    const todo = group.filter((entry) => !entry.requestsStored);
    if (todo.length === 0) return;
    this.stats.countInsert(
      "requests",
      todo.reduce((rows, entry) => rows + entry.requestCount, 0),
    );
    if (this.sink.insertTsv !== undefined) {
      await this.sink.insertTsv("requests", REQUEST_COLUMNS, Buffer.concat(todo.map((entry) => entry.tsv)));
    } else {
      await this.sink.insertRows(
        "requests",
        todo.flatMap((entry) =>
          entry.batch.requests.map((record) =>
            toRequestRow(entry.batch.agentId, record, entry.batch.batchSeq),
          ),
        ),
      );
    }
    // Not atomic with the other tables: if they fail, only they are retried.
    for (const entry of todo) entry.requestsStored = true;
  }

  private async insertExtra(group: QueuedBatch[]): Promise<void> {
    const tables = new Set(group.flatMap((entry) => entry.batch.extra.map(({ table }) => table)));
    for (const table of tables) {
      const todo = group.filter((entry) => !entry.storedExtra.has(table));
      const rows = todo.flatMap((entry) =>
        entry.batch.extra.filter((e) => e.table === table).flatMap((e) => e.rows),
      );
      if (rows.length > 0) {
        this.stats.countInsert(table, rows.length);
        await this.sink.insertRows(table, rows);
      }
      for (const entry of todo) entry.storedExtra.add(table);
    }
  }

  private handleFailure(group: QueuedBatch[], cause: unknown): void {
    if (isTransientStorageError(cause) && !this.closed) {
      this.stats.counters.insertRetries += 1;
      this.outage = true;
      for (const entry of group) this.markUntaken(entry);
      // Everything queued is now held through the outage, not just this group;
      // only its serialised form is kept, to bound memory by the TSV.
      for (const entry of this.queue) this.hold(entry);
      this.scheduleRetry();
      return;
    }
    if (group.length > 1) {
      // One bad batch must not sink the others: retry each alone.
      for (const entry of group) {
        this.markUntaken(entry);
        entry.alone = true;
      }
      return;
    }
    const [entry] = group;
    if (entry !== undefined) this.complete(entry, { kind: "failed", cause });
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, this.options.maxRetryDelayMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, delay);
    this.retryTimer.unref();
  }

  private complete(entry: QueuedBatch, outcome: SubmitOutcome): void {
    const index = this.queue.indexOf(entry);
    if (index >= 0) this.queue.splice(index, 1);
    this.queuedRows -= entry.rowCount;
    this.queuedBytes -= entry.bytes;
    const { agentId, batchSeq } = entry.batch;
    const key = `${agentId}\u0000${batchSeq}`;
    if (this.pending.get(key) === entry) this.pending.delete(key);
    if (outcome.kind === "stored") {
      this.stats.counters.batchesStored += 1;
      this.stats.counters.recordsStored += entry.requestCount;
      this.stats.counters.seriesStored += entry.seriesCount;
      const records = entry.records;
      if (records !== undefined && this.onStored !== undefined) {
        this.onStored(() => records.map((record) => toRequestRow(agentId, record)), agentId);
      }
    } else if (outcome.kind === "failed") {
      this.stats.counters.batchesFailedStorage += 1;
      if (entry.acknowledged) {
        this.stats.counters.recordsDroppedAfterAccept += entry.rowCount;
        this.onLost?.(agentId, batchSeq);
      }
    }
    for (const resolve of entry.waiters.splice(0)) resolve(outcome);
    if (this.queue.length === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
