import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPoller } from "./createPoller";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("createPoller", () => {
  it("runs immediately, then once per interval", async () => {
    const results: number[] = [];
    let calls = 0;
    const poller = createPoller({
      intervalMs: 2000,
      run: async () => ++calls,
      onResult: (value) => results.push(value),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1999);
    expect(results).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(results).toEqual([1, 2]);
    poller.stop();
  });

  it("counts the interval from the start of each run, so response time does not add up", async () => {
    const startedAt: number[] = [];
    const poller = createPoller({
      intervalMs: 2000,
      run: async () => {
        startedAt.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 300));
      },
      onResult: () => {},
    });
    await vi.advanceTimersByTimeAsync(6000);
    poller.stop();
    const gaps = startedAt.slice(1).map((time, i) => time - (startedAt[i] as number));
    expect(gaps).toEqual([2000, 2000, 2000]);
  });

  it("never has two runs in flight when a run is slower than the interval", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let runs = 0;
    const poller = createPoller({
      intervalMs: 100,
      run: async () => {
        runs++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 500));
        inFlight--;
      },
      onResult: () => {},
    });
    await vi.advanceTimersByTimeAsync(1900);
    poller.stop();
    expect(maxInFlight).toBe(1);
    // Back to back, 500 ms each: runs start at 0, 500, 1000 and 1500 ms.
    expect(runs).toBe(4);
  });

  it("keeps polling after a failed run and reports the failure", async () => {
    const errors: unknown[] = [];
    const results: string[] = [];
    let calls = 0;
    const poller = createPoller({
      intervalMs: 10,
      run: async () => {
        calls++;
        if (calls === 1) throw new Error("boom");
        return "ok";
      },
      onResult: (value) => results.push(value),
      onError: (error) => errors.push(error),
    });
    await vi.advanceTimersByTimeAsync(10);
    poller.stop();
    expect(errors).toHaveLength(1);
    expect(results).toEqual(["ok"]);
  });

  it("after stop, aborts the run in flight and delivers nothing more", async () => {
    const results: string[] = [];
    let signalSeen: AbortSignal | undefined;
    const poller = createPoller({
      intervalMs: 10,
      run: (signal) => {
        signalSeen = signal;
        return new Promise<string>((resolve) => setTimeout(() => resolve("late"), 50));
      },
      onResult: (value) => results.push(value),
    });
    poller.stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(signalSeen?.aborted).toBe(true);
    expect(results).toEqual([]);
  });
});
