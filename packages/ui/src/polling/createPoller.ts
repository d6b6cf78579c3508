export interface PollerOptions<T> {
  /** Time from the start of one run to the start of the next, unless a run takes longer. */
  intervalMs: number;
  /** One poll; the signal aborts it when the poller stops. */
  run: (signal: AbortSignal) => Promise<T>;
  onResult: (value: T) => void;
  onError?: (error: unknown) => void;
  timers?: Pick<typeof globalThis, "setTimeout" | "clearTimeout">;
  now?: () => number;
}

export interface Poller {
  stop(): void;
}

/**
 * Runs `run` now and then every `intervalMs`, counted from the start of each run, so
 * the data is never older than the interval plus one response time. A run slower than
 * the interval delays the next instead of overlapping it: at most one request is in
 * flight, and a slow collector gets a slower poll rather than a pile-up. After stop()
 * no callback fires.
 */
export function createPoller<T>(options: PollerOptions<T>): Poller {
  const timers = options.timers ?? globalThis;
  const now = options.now ?? Date.now;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const tick = async () => {
    timer = undefined;
    const startedAt = now();
    try {
      const value = await options.run(controller.signal);
      if (!controller.signal.aborted) options.onResult(value);
    } catch (error) {
      if (!controller.signal.aborted) options.onError?.(error);
    }
    if (controller.signal.aborted) return;
    timer = timers.setTimeout(tick, Math.max(0, options.intervalMs - (now() - startedAt)));
  };
  void tick();

  return {
    stop() {
      controller.abort();
      if (timer !== undefined) timers.clearTimeout(timer);
    },
  };
}
