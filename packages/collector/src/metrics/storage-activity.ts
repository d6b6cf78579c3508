// What storing costs, as rates over the last minute: inserts per second, rows
// per insert, parts the engine writes per second and its merge time. /metrics
// exposes the counters (Prometheus takes rate()); /api/v1/stats has no such
// history, so a sample of the counters is kept every sampleEveryMs and the
// rates are over the oldest sample still within the window. One read of
// system.events per sample (a few ms) is all it costs.
import type { IngestStats } from "../ingest/ingest-stats.js";
import { type EngineEvents, NO_ENGINE_EVENTS, readEngineEvents } from "../storage/engine-events.js";
import type { Storage } from "../storage/storage.js";

export interface StorageActivityRates {
  /** Seconds the rates are over (up to the window; less just after start). */
  seconds: number;
  insertsPerSecond: number;
  /** Rows per INSERT statement, every table; 0 when there was none. */
  rowsPerInsert: number;
  partsWrittenPerSecond: number;
  mergesPerSecond: number;
  /** Merge wall time per second: 0.5 means merges ran half of the time on average (summed over merge threads). */
  mergeSecondsPerSecond: number;
}

interface Sample {
  atMs: number;
  engine: EngineEvents;
  insertStatements: number;
  insertRows: number;
}

export class StorageActivity {
  private readonly samples: Sample[] = [];
  private latestEngine: EngineEvents = NO_ENGINE_EVENTS;
  private reading: Promise<EngineEvents> | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly storage: Storage,
    private readonly ingestStats: IngestStats,
    sampleEveryMs = 15_000,
    private readonly windowMs = 60_000,
  ) {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), sampleEveryMs);
    this.timer.unref();
  }

  /**
   * The engine's counters now; the last ones read when storage does not
   * answer. Callers at the same moment (a scrape's four counters) share one read.
   */
  engineEvents(): Promise<EngineEvents> {
    this.reading ??= readEngineEvents(this.storage)
      .then((events) => {
        this.latestEngine = events;
      })
      .catch(() => {
        // storage down: /metrics and stats still answer, with the last figures
      })
      .then(() => {
        this.reading = undefined;
        return this.latestEngine;
      });
    return this.reading;
  }

  /** Rates from the oldest sample within the window to now; undefined before any sample. */
  async lastMinute(): Promise<StorageActivityRates | undefined> {
    const from = this.samples[0];
    if (from === undefined) return undefined;
    const to = await this.current();
    const seconds = (to.atMs - from.atMs) / 1000;
    if (seconds <= 0) return undefined;
    const inserts = to.insertStatements - from.insertStatements;
    const rate = (value: number) => round(value / seconds);
    return {
      seconds: round(seconds),
      insertsPerSecond: rate(inserts),
      rowsPerInsert: inserts === 0 ? 0 : round((to.insertRows - from.insertRows) / inserts),
      partsWrittenPerSecond: rate(to.engine.partsWritten - from.engine.partsWritten),
      mergesPerSecond: rate(to.engine.merges - from.engine.merges),
      mergeSecondsPerSecond: rate((to.engine.mergeMilliseconds - from.engine.mergeMilliseconds) / 1000),
    };
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async current(): Promise<Sample> {
    const engine = await this.engineEvents();
    const { insertStatements, insertRows } = this.ingestStats.counters;
    return { atMs: Date.now(), engine, insertStatements, insertRows };
  }

  private async sample(): Promise<void> {
    this.samples.push(await this.current());
    // Keep the newest sample at least a window old, so the rates span the whole window.
    while ((this.samples[1]?.atMs ?? Number.POSITIVE_INFINITY) <= Date.now() - this.windowMs) {
      this.samples.shift();
    }
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;
