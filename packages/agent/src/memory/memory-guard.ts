// Watches the agent's own RSS against its memory limit and sheds load before
// the kernel's OOM killer would: past the high-water mark request records stop
// being kept and batches waiting in memory go to the spool (or are dropped),
// until RSS falls under the low-water mark. Metric series keep flowing: they
// are what keeps the service map exact while records are shed.

/** What shedding asks of the rest of the agent. */
export interface LoadShedder {
  /**
   * true: keep fewer batches in memory, the rest to the disk spool or dropped
   * (the exporter counts them); called again while still short, sheds again.
   * false: back to normal.
   */
  setMemoryShort(short: boolean): void;
}

export interface MemoryGuardOptions {
  limitBytes: number;
  /** Shedding starts at this fraction of the limit. */
  highWater?: number;
  /** ... and stops under this one (apart from highWater, so it does not flap). */
  lowWater?: number;
  /** RSS is read this often; process.memoryUsage.rss() costs microseconds (one /proc read on Linux). */
  intervalMs?: number;
  shedder: LoadShedder;
  /** The resident set size now, bytes. */
  readRss?: () => number;
  log?: (message: string) => void;
}

export interface MemoryGuardCounters {
  /** Records not kept because memory was short; each still counted in the metric series. */
  recordsShed: number;
  /** Times RSS passed the high-water mark. */
  shedEpisodes: number;
}

/** The memory section of /v1/stats. */
export interface MemoryState {
  limitBytes: number;
  rssBytes: number;
  highWaterBytes: number;
  lowWaterBytes: number;
  shedding: boolean;
  shedEpisodes: number;
  recordsShed: number;
}

export class MemoryGuard {
  readonly counters: MemoryGuardCounters = { recordsShed: 0, shedEpisodes: 0 };
  private readonly highWaterBytes: number;
  private readonly lowWaterBytes: number;
  private readonly readRss: () => number;
  private readonly log: (message: string) => void;
  private rssBytes = 0;
  private sheddingNow = false;
  private timer: NodeJS.Timeout | undefined;
  private logged = false;

  constructor(private readonly options: MemoryGuardOptions) {
    const high = options.highWater ?? 0.85;
    const low = options.lowWater ?? 0.7;
    if (!(low > 0 && low < high && high < 1)) {
      throw new Error(`memory guard: need 0 < lowWater (${low}) < highWater (${high}) < 1`);
    }
    this.highWaterBytes = Math.floor(options.limitBytes * high);
    this.lowWaterBytes = Math.floor(options.limitBytes * low);
    this.readRss = options.readRss ?? (() => process.memoryUsage.rss());
    this.log = options.log ?? ((message) => console.error(`periscope-agent: ${message}`));
  }

  /** Samples RSS every intervalMs (1 s by default) until stop(). */
  start(): this {
    this.check();
    this.timer = setInterval(() => this.check(), this.options.intervalMs ?? 1000);
    // The tracer decides when the agent lives.
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  get shedding(): boolean {
    return this.sheddingNow;
  }

  /** One sample: enter or leave shedding, and shed again while still above the high-water mark. */
  check(): void {
    this.rssBytes = this.readRss();
    if (!this.sheddingNow && this.rssBytes >= this.highWaterBytes) {
      this.sheddingNow = true;
      this.counters.shedEpisodes++;
      // Said once per run: an agent hovering at its mark would otherwise fill the log.
      if (!this.logged) {
        this.logged = true;
        this.log(
          `memory: RSS ${mib(this.rssBytes)} passed ${mib(this.highWaterBytes)} (${Math.round((this.highWaterBytes / this.options.limitBytes) * 100)} % of the ${mib(this.options.limitBytes)} limit): ` +
            `shedding load (request records not kept, waiting batches spooled or dropped) until under ${mib(this.lowWaterBytes)}; ` +
            "counted as drops memory_shed_records and export_queue_full in /v1/stats",
        );
      }
    } else if (this.sheddingNow && this.rssBytes < this.lowWaterBytes) {
      this.sheddingNow = false;
      this.options.shedder.setMemoryShort(false);
      return;
    }
    if (this.sheddingNow && this.rssBytes >= this.highWaterBytes) this.options.shedder.setMemoryShort(true);
  }

  /** Whether a record may be kept now; counts the ones that may not. */
  admitRecord(): boolean {
    if (!this.sheddingNow) return true;
    this.counters.recordsShed++;
    return false;
  }

  state(): MemoryState {
    return {
      limitBytes: this.options.limitBytes,
      rssBytes: this.rssBytes,
      highWaterBytes: this.highWaterBytes,
      lowWaterBytes: this.lowWaterBytes,
      shedding: this.sheddingNow,
      shedEpisodes: this.counters.shedEpisodes,
      recordsShed: this.counters.recordsShed,
    };
  }
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}
