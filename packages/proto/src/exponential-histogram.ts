// A base-2 exponential histogram (OpenTelemetry's mapping, data model
// "ExponentialHistogram"): with base = 2^(2^-scale), bucket i holds values in
// (base^i, base^(i+1)]. Buckets are fixed by the scale, not by the data, so two
// histograms of one scale merge exactly by adding counts index by index — across
// agents, intervals, minutes and hours — which a t-digest cannot promise.
//
// Relative error: a quantile is reported as the bucket's midpoint in the
// relative sense, 2·base^(i+1)/(1+base), which is within (base−1)/(base+1) of
// every value in the bucket: 1.08% at scale 5 (DDSketch's argument, Masson et
// al., VLDB 2019). Durations from 1 ns to ~18 minutes span at most 1,280 buckets
// at that scale; a typical endpoint fills a few dozen.

import type { ExponentialHistogram as HistogramMessage } from "./gen/periscope/agent/v1/ingest_pb.js";

/** The scale agents record latencies at and the collector stores them at. */
export const LATENCY_SCALE = 5;

/** The largest relative error of a quantile read from a histogram of `scale`. */
export function relativeErrorBound(scale: number): number {
  const base = 2 ** (2 ** -scale);
  return (base - 1) / (base + 1);
}

/**
 * The bucket holding `value` (> 0, finite).
 *
 * Math.log2 is exact for powers of two, so one lands in the bucket it closes,
 * as the half-open (lower, upper] definition says. It also rounds values a few
 * ulps above a power of two down onto it (log2(2^k·(1+2^-52)) === k), which
 * would put them one bucket low: that case is decided by an exact comparison.
 * Near the other, irrational, boundaries a value within a few ulps of one may
 * still land one bucket off; its quantile error is then the bound plus those
 * ulps. Every scale scales the same log2 by a power of two (exact), so
 * bucketIndex(v, scale − k) === bucketIndex(v, scale) >> k, which is what
 * downscaling (bucketsAtScale) assumes. About 25 ns a value (10^6 durations, tsx).
 */
export function bucketIndex(value: number, scale: number): number {
  const log = Math.log2(value);
  const scaled = log * 2 ** scale;
  if (Number.isInteger(scaled) && Number.isInteger(log) && value > 2 ** log) return scaled;
  return Math.ceil(scaled) - 1;
}

/** The value a quantile falling in bucket `index` is reported as. */
export function bucketValue(index: number, scale: number): number {
  const base = 2 ** (2 ** -scale);
  // 2^((index+1)·2^-scale) rather than base^(index+1): exact at octaves, and
  // no error accumulated from a rounded base over a thousand multiplications.
  const upper = 2 ** ((index + 1) * 2 ** -scale);
  return upper * (2 / (1 + base)); // not (2·upper)/(1+base): 2·2^1023 overflows
}

/**
 * The value at rank ceil(q·total) (nearest rank, 1-based) of sorted buckets.
 * @param indexes ascending bucket indexes
 * @param counts their counts
 */
export function quantileOfBuckets(
  scale: number,
  zeroCount: number,
  indexes: ArrayLike<number>,
  counts: ArrayLike<number>,
  q: number,
): number {
  let total = zeroCount;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = zeroCount;
  if (seen >= rank) return 0;
  for (let i = 0; i < indexes.length; i++) {
    seen += counts[i] as number;
    if (seen >= rank) return bucketValue(indexes[i] as number, scale);
  }
  return bucketValue(indexes[indexes.length - 1] as number, scale);
}

/** A mutable histogram: dense counts from `offset`, grown as values arrive. */
export class LatencyHistogram {
  zeroCount = 0;
  total = 0;
  private offset = 0;
  private counts: number[] = [];

  constructor(readonly scale: number = LATENCY_SCALE) {}

  /**
   * Counts `value` `count` times. Zero (and NaN, which no duration is) goes to
   * zeroCount; Infinity to the bucket of the largest double, as the dense
   * counts could not reach an infinite index.
   */
  record(value: number, count = 1): void {
    this.total += count;
    if (!(value > 0)) {
      this.zeroCount += count;
      return;
    }
    this.add(bucketIndex(Math.min(value, Number.MAX_VALUE), this.scale), count);
  }

  /** Adds another histogram's counts; scales must match (merging is then exact). */
  merge(other: LatencyHistogram): void {
    if (other.scale !== this.scale)
      throw new RangeError(`cannot merge scale ${other.scale} into ${this.scale}`);
    this.zeroCount += other.zeroCount;
    this.total += other.zeroCount;
    other.forEachBucket((index, count) => {
      this.total += count;
      this.add(index, count);
    });
  }

  quantile(q: number): number {
    const indexes: number[] = [];
    const counts: number[] = [];
    this.forEachBucket((index, count) => {
      indexes.push(index);
      counts.push(count);
    });
    return quantileOfBuckets(this.scale, this.zeroCount, indexes, counts, q);
  }

  /** Non-empty buckets in ascending order. */
  forEachBucket(visit: (index: number, count: number) => void): void {
    for (let i = 0; i < this.counts.length; i++) {
      const count = this.counts[i] as number;
      if (count > 0) visit(this.offset + i, count);
    }
  }

  toMessage(): HistogramMessage {
    let first = 0;
    let last = this.counts.length;
    while (first < last && this.counts[first] === 0) first++;
    while (last > first && this.counts[last - 1] === 0) last--;
    return {
      $typeName: "periscope.agent.v1.ExponentialHistogram",
      scale: this.scale,
      zeroCount: BigInt(this.zeroCount),
      offset: this.offset + first,
      bucketCounts: this.counts.slice(first, last).map((count) => BigInt(count)),
    };
  }

  private add(index: number, count: number): void {
    if (this.counts.length === 0) {
      this.offset = index;
      this.counts.push(count);
      return;
    }
    if (index < this.offset) {
      const grow = this.offset - index;
      this.counts = [...new Array<number>(grow).fill(0), ...this.counts];
      this.offset = index;
    }
    const at = index - this.offset;
    while (this.counts.length <= at) this.counts.push(0);
    this.counts[at] = (this.counts[at] as number) + count;
  }
}

/**
 * The buckets of a histogram message at a coarser-or-equal `scale`: each step
 * down halves the resolution by merging bucket pairs (index >> 1), which is
 * exact. Returns undefined when the message is finer than it can be read
 * (a scale below `scale` cannot be refined).
 */
export function bucketsAtScale(
  message: HistogramMessage,
  scale: number,
): { indexes: number[]; counts: number[] } | undefined {
  const shift = message.scale - scale;
  if (shift < 0) return undefined;
  const merged = new Map<number, number>();
  message.bucketCounts.forEach((count, i) => {
    if (count === 0n) return;
    const index = Math.floor((message.offset + i) / 2 ** shift);
    merged.set(index, (merged.get(index) ?? 0) + Number(count));
  });
  const indexes = [...merged.keys()].sort((a, b) => a - b);
  return { indexes, counts: indexes.map((index) => merged.get(index) as number) };
}
