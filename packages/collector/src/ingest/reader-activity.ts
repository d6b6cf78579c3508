// Whether anyone is looking at the data right now: an API read within the
// last minute, or a live-stream subscriber. The insert queue lingers longer
// while nobody is (insert-queue.ts): a quiet cluster then costs the engine a
// part per table every few seconds instead of every second, and the data is
// back to a second fresh as soon as someone opens the UI.

/** Requests that read nothing a user waits on: probes, scrapes, the collector's own stats. */
const NOT_A_READ = /^\/api\/v1\/(health|stats|openapi\.json)(\/|\?|$)|^\/metrics(\?|$)/;

export class ReaderActivity {
  private lastReadMs = Number.NEGATIVE_INFINITY;
  private readonly listeners: (() => void)[] = [];

  /**
   * @param liveSubscribers how many clients hold the live stream open (each is watching)
   * @param windowMs how long one API read keeps the data "watched"
   */
  constructor(
    private readonly liveSubscribers: () => number = () => 0,
    private readonly windowMs = 60_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get watched(): boolean {
    return this.liveSubscribers() > 0 || this.now() - this.lastReadMs < this.windowMs;
  }

  /** Called for every HTTP request; only API reads count. */
  noteRequest(url: string): void {
    if (!url.startsWith("/api/") || NOT_A_READ.test(url)) return;
    const wasWatched = this.watched;
    this.lastReadMs = this.now();
    if (!wasWatched) for (const listener of this.listeners) listener();
  }

  /** `listener` runs when a read arrives after a quiet spell (the queue shortens its linger). */
  onWatched(listener: () => void): void {
    this.listeners.push(listener);
  }
}
