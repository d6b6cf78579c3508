/**
 * Converts kernel timestamps (bpf_ktime_get_ns: CLOCK_MONOTONIC) to Unix time.
 * process.hrtime.bigint() reads the same clock, so one offset measured at start
 * serves every record; it drifts only if the wall clock is stepped afterwards.
 */
export class MonotonicClock {
  private constructor(private readonly unixMinusMonotonicNs: bigint) {}

  static measure(): MonotonicClock {
    const before = process.hrtime.bigint();
    const unixNs = BigInt(Date.now()) * 1_000_000n;
    const after = process.hrtime.bigint();
    return new MonotonicClock(unixNs - (before + after) / 2n);
  }

  static withOffset(unixMinusMonotonicNs: bigint): MonotonicClock {
    return new MonotonicClock(unixMinusMonotonicNs);
  }

  toUnixNs(monotonicNs: bigint): bigint {
    return monotonicNs + this.unixMinusMonotonicNs;
  }

  nowMonotonicNs(): bigint {
    return process.hrtime.bigint();
  }
}
