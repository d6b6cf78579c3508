import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bucketIndex,
  bucketsAtScale,
  bucketValue,
  LATENCY_SCALE,
  LatencyHistogram,
  quantileOfBuckets,
  relativeErrorBound,
} from "./exponential-histogram.js";

// Rounding in log2 and in the reported midpoint: a value within a few ulps of
// a bucket boundary may be off by that much more than the bound.
const ULPS = 1e-12;
const NS_PER_SECOND = 1e9;
const MAX_DURATION = 100 * NS_PER_SECOND;

// Durations in nanoseconds, 1 ns … 100 s, spread evenly in log space.
const logUniform = fc
  .double({ min: 0, max: Math.log2(MAX_DURATION), noNaN: true })
  .map((exponent) => 2 ** exponent);
// Values on and one ulp either side of bucket boundaries: powers of two
// (exact) and base^i (irrational, so their nearest doubles).
const nearBoundary = fc
  .tuple(
    fc.integer({ min: 0, max: 36 * 2 ** LATENCY_SCALE }),
    fc.constantFrom(0, 2 ** -52, -(2 ** -53), 2 ** -50, -(2 ** -50)),
  )
  .map(([i, nudge]) => 2 ** (i / 2 ** LATENCY_SCALE) * (1 + nudge))
  .filter((value) => value >= 1);
// Integer nanoseconds, as agents record them.
const wholeNanoseconds = logUniform.map(Math.round);
// Pareto (alpha 1.1): most requests fast, a few orders of magnitude slower.
const heavyTail = fc
  .double({ min: 1e-12, max: 1, noNaN: true })
  .map((u) => Math.min(MAX_DURATION, 1000 / u ** (1 / 1.1)));
const duration = fc.oneof(logUniform, wholeNanoseconds, nearBoundary, heavyTail);

const durations = fc.oneof(
  fc.array(duration, { minLength: 1, maxLength: 300 }),
  fc.array(heavyTail, { minLength: 1, maxLength: 300 }),
  // All equal: every quantile is that value.
  fc.tuple(duration, fc.integer({ min: 1, max: 200 })).map(([value, n]) => new Array<number>(n).fill(value)),
);
const withZeros = fc.array(fc.oneof(duration, fc.constant(0)), { maxLength: 200 });
const quantile = fc.oneof(
  fc.constantFrom(0.5, 0.9, 0.99, 0.999, 1),
  fc.double({ min: 0, max: 1, noNaN: true }),
);

function histogramOf(values: readonly number[], scale = LATENCY_SCALE): LatencyHistogram {
  const histogram = new LatencyHistogram(scale);
  for (const value of values) histogram.record(value);
  return histogram;
}

function bucketsOf(histogram: LatencyHistogram): { indexes: number[]; counts: number[] } {
  const indexes: number[] = [];
  const counts: number[] = [];
  histogram.forEachBucket((index, count) => {
    indexes.push(index);
    counts.push(count);
  });
  return { indexes, counts };
}

/** The exact nearest-rank quantile: the value at rank ceil(q·n), 1-based. */
function nearestRank(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] as number;
}

function relativeError(estimate: number, exact: number): number {
  return Math.abs(estimate - exact) / exact;
}

/** Whether value ≤ 2^(boundary·2^-scale), decided exactly: value^(2^scale) ≤ 2^boundary in integers. */
function atMostBoundary(value: number, boundary: number, scale: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  // value = significand · 2^exponent with an integer significand.
  const significand = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  const power = 2 ** scale;
  const shift = boundary - exponent * power; // compare significand^power with 2^shift
  const lhs = significand ** BigInt(power);
  return shift >= 0 ? lhs <= 1n << BigInt(shift) : lhs << BigInt(-shift) <= 1n;
}

describe("bucketIndex", () => {
  it("puts a power of two in the bucket it closes, and the next double up in the bucket above", () => {
    for (let k = -20; k <= 60; k++) {
      const next = 2 ** k * (1 + 2 ** -52);
      for (let scale = 0; scale <= 8; scale++) {
        expect(bucketIndex(2 ** k, scale), `2^${k} at scale ${scale}`).toBe(k * 2 ** scale - 1);
        expect(bucketIndex(next, scale), `2^${k}·(1+2^-52) at scale ${scale}`).toBe(k * 2 ** scale);
      }
      // Coarser than an octave: buckets (2^(i·2^-scale), 2^((i+1)·2^-scale)].
      for (let scale = -3; scale < 0; scale++) {
        expect(bucketIndex(2 ** k, scale)).toBe((k - 1) >> -scale);
        expect(bucketIndex(next, scale)).toBe(k >> -scale);
      }
    }
    expect(bucketIndex(1024, LATENCY_SCALE)).toBe(319);
    expect(bucketIndex(1025, LATENCY_SCALE)).toBe(320);
  });

  it("places values in (lower, upper], off by one only within ulps of a boundary", () => {
    fc.assert(
      fc.property(
        fc.oneof(duration, fc.double({ min: 1e-6, max: 1e15, noNaN: true })),
        fc.integer({ min: 0, max: 6 }),
        (value, scale) => {
          const index = bucketIndex(value, scale);
          const inside = !atMostBoundary(value, index, scale) && atMostBoundary(value, index + 1, scale);
          if (inside) return;
          const boundaries = [index, index + 1].map((i) => 2 ** (i / 2 ** scale));
          expect(Math.min(...boundaries.map((b) => relativeError(value, b)))).toBeLessThan(ULPS);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("agrees across scales: the coarser index is the finer one shifted, so downscaling is exact", () => {
    fc.assert(
      fc.property(
        fc.oneof(duration, fc.double({ min: 1e-300, max: 1e300, noNaN: true })),
        fc.integer({ min: -3, max: 10 }),
        fc.integer({ min: 0, max: 8 }),
        (value, scale, k) => {
          expect(bucketIndex(value, scale - k)).toBe(bucketIndex(value, scale) >> k);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("LatencyHistogram", () => {
  it("merges two parts into exactly the histogram of the whole", () => {
    fc.assert(
      fc.property(withZeros, withZeros, (left, right) => {
        const merged = histogramOf(left);
        merged.merge(histogramOf(right));
        const whole = histogramOf([...left, ...right]);
        expect(bucketsOf(merged)).toEqual(bucketsOf(whole));
        expect(merged.zeroCount).toBe(whole.zeroCount);
        expect(merged.total).toBe(left.length + right.length);
        expect(merged.toMessage()).toEqual(whole.toMessage());
      }),
    );
  });

  it("does not depend on the order values arrive in (the dense counts grow both ways)", () => {
    fc.assert(
      fc.property(withZeros, (values) => {
        const ascending = histogramOf([...values].sort((a, b) => a - b));
        const descending = histogramOf([...values].sort((a, b) => b - a));
        expect(histogramOf(values).toMessage()).toEqual(ascending.toMessage());
        expect(descending.toMessage()).toEqual(ascending.toMessage());
      }),
    );
  });

  it("refuses to merge histograms of different scales", () => {
    expect(() => new LatencyHistogram(5).merge(new LatencyHistogram(4))).toThrow(RangeError);
  });

  it(`reads every quantile within the scale's bound (${(relativeErrorBound(LATENCY_SCALE) * 100).toFixed(2)}%) of the exact nearest-rank value`, () => {
    const bound = relativeErrorBound(LATENCY_SCALE);
    expect(bound).toBeLessThan(0.0109);
    fc.assert(
      fc.property(durations, fc.array(quantile, { minLength: 1, maxLength: 8 }), (values, qs) => {
        const histogram = histogramOf(values);
        for (const q of qs) {
          const error = relativeError(histogram.quantile(q), nearestRank(values, q));
          expect(error, `q=${q}`).toBeLessThanOrEqual(bound + ULPS);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("counts zeros in zeroCount, below every positive value", () => {
    fc.assert(
      fc.property(withZeros, quantile, (values, q) => {
        const histogram = histogramOf(values);
        const zeros = values.filter((value) => value === 0).length;
        expect(histogram.zeroCount).toBe(zeros);
        expect(histogram.toMessage().zeroCount).toBe(BigInt(zeros));
        let inBuckets = 0;
        histogram.forEachBucket((_, count) => {
          inBuckets += count;
        });
        expect(inBuckets).toBe(values.length - zeros);
        if (values.length === 0) expect(histogram.quantile(q)).toBe(0);
        else if (nearestRank(values, q) === 0) expect(histogram.quantile(q)).toBe(0);
        else expect(histogram.quantile(q)).toBeGreaterThan(0);
      }),
    );
  });
});

describe("toMessage and bucketsAtScale", () => {
  it("round-trip the buckets, trimmed to the first and last non-empty one", () => {
    fc.assert(
      fc.property(withZeros, (values) => {
        const histogram = histogramOf(values);
        const message = histogram.toMessage();
        expect(message.scale).toBe(LATENCY_SCALE);
        if (message.bucketCounts.length > 0) {
          expect(message.bucketCounts[0]).not.toBe(0n);
          expect(message.bucketCounts.at(-1)).not.toBe(0n);
        }
        expect(bucketsAtScale(message, LATENCY_SCALE)).toEqual(bucketsOf(histogram));
      }),
    );
  });

  it("downscale by k exactly: the same buckets as recording at the coarser scale, totals kept", () => {
    fc.assert(
      fc.property(withZeros, fc.integer({ min: 1, max: 8 }), (values, k) => {
        const coarse = bucketsAtScale(histogramOf(values).toMessage(), LATENCY_SCALE - k);
        expect(coarse).toEqual(bucketsOf(histogramOf(values, LATENCY_SCALE - k)));
        const sum = (coarse?.counts ?? []).reduce((a, b) => a + b, 0);
        expect(sum).toBe(values.filter((value) => value > 0).length);
      }),
    );
  });

  it("read quantiles at the coarser scale within that scale's bound", () => {
    fc.assert(
      fc.property(durations, fc.integer({ min: 1, max: 5 }), quantile, (values, k, q) => {
        const scale = LATENCY_SCALE - k;
        const buckets = bucketsAtScale(histogramOf(values).toMessage(), scale);
        if (buckets === undefined) throw new Error("coarser scale refused");
        const estimate = quantileOfBuckets(scale, 0, buckets.indexes, buckets.counts, q);
        expect(relativeError(estimate, nearestRank(values, q))).toBeLessThanOrEqual(
          relativeErrorBound(scale) + ULPS,
        );
      }),
      { numRuns: 300 },
    );
  });

  it("cannot refine: a finer scale than the message's is refused", () => {
    expect(bucketsAtScale(histogramOf([1, 2, 3]).toMessage(), LATENCY_SCALE + 1)).toBeUndefined();
  });
});

describe("bucketValue", () => {
  it("reports a value inside its bucket, within the bound of both ends", () => {
    for (let scale = -2; scale <= 8; scale++) {
      const bound = relativeErrorBound(scale);
      for (const index of [-200, -1, 0, 1, 31, 32, 200]) {
        const lower = 2 ** (index * 2 ** -scale);
        const upper = 2 ** ((index + 1) * 2 ** -scale);
        const value = bucketValue(index, scale);
        expect(value).toBeGreaterThan(lower);
        expect(value).toBeLessThanOrEqual(upper);
        expect(relativeError(value, lower)).toBeLessThanOrEqual(bound + ULPS);
        expect(relativeError(value, upper)).toBeLessThanOrEqual(bound + ULPS);
      }
    }
  });
});
