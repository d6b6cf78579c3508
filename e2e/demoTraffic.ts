export interface TrafficDriver {
  /** Checkouts that answered 200 so far. */
  readonly succeeded: number;
  /** The last failure, if any (the demo may still be warming up). */
  readonly lastError: string | undefined;
  stop(): Promise<void>;
}

/**
 * Sends GET /checkout to the demo frontend in a loop, one at a time with a pause,
 * until stopped. The map covers 15 minutes, but the agent must see traffic after it
 * attached, so the load keeps flowing while the test waits for the UI.
 */
export function driveCheckouts(demoUrl: string, pauseMs = 200): TrafficDriver {
  let running = true;
  const state = { succeeded: 0, lastError: undefined as string | undefined };
  const loop = (async () => {
    while (running) {
      try {
        const response = await fetch(new URL("/checkout", demoUrl), { signal: AbortSignal.timeout(5000) });
        await response.arrayBuffer();
        if (response.ok) state.succeeded++;
        else state.lastError = `HTTP ${response.status}`;
      } catch (error) {
        state.lastError = error instanceof Error ? error.message : String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  })();
  return {
    get succeeded() {
      return state.succeeded;
    },
    get lastError() {
      return state.lastError;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}
