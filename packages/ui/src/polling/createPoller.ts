export interface PollerOptions<T> {
  /** Pause between the end of one run and the start of the next. */
  intervalMs: number;
  /** One poll; the signal aborts it when the poller stops. */
  run: (signal: AbortSignal) => Promise<T>;
  onResult: (value: T) => void;
  onError?: (error: unknown) => void;
  timers?: Pick<typeof globalThis, "setTimeout" | "clearTimeout">;
}

export interface Poller {
  stop(): void;
}

/**
 * Runs `run` now and again `intervalMs` after each run settles. Waiting for the
 * previous run keeps at most one request in flight, so a slow collector gets a slower
 * poll rather than a pile-up. After stop() no callback fires.
 */
export function createPoller<T>(options: PollerOptions<T>): Poller {
  const timers = options.timers ?? globalThis;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const tick = async () => {
    timer = undefined;
    try {
      const value = await options.run(controller.signal);
      if (!controller.signal.aborted) options.onResult(value);
    } catch (error) {
      if (!controller.signal.aborted) options.onError?.(error);
    }
    if (!controller.signal.aborted) timer = timers.setTimeout(tick, options.intervalMs);
  };
  void tick();

  return {
    stop() {
      controller.abort();
      if (timer !== undefined) timers.clearTimeout(timer);
    },
  };
}
