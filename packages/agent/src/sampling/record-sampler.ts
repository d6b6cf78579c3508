// Which request records travel to the collector, within a budget of records
// per second. Every request is already in the metric series (metrics/); this
// decides only which ones keep their full detail. DeepFlow throttles its L7
// logs per agent the same way while its flow metrics stay exact.
//
// Kept first, in this order:
// 1. errors, always (weight 1), even past the budget;
// 2. requests carrying trace context, by the trace id's randomness against a
//    trace probability (trace-randomness.ts), so both ends of a call and
//    every span of a trace are kept or dropped together, on every agent. A
//    traced request is never kept for being slow: its two ends see different
//    durations and endpoints, and would be kept apart;
// 3. slow requests, above their endpoint's p99 of a past interval (weight 1);
// 4. the rest, uniformly at random.
// Each kept record's weight is 1 / the probability it was kept with, so the
// sum of weights estimates the requests offered.
//
// The probabilities are set once per window (1 s) from the rates the last
// window saw: errors and slow requests take what they take, traces get what
// is left (probability 1 unless they alone overflow it, then a power of two),
// the uniform probability gets the rest. A window ends early once it has kept
// a full second's budget, so a flood that starts in the middle of a window
// (or at start-up, when the window began at probability 1) is reined in
// within a fraction of a second instead of keeping everything until the
// window ends. A record's weight is the probability in force when it was
// decided, so the sums stay unbiased whenever the probability changes.

import type { RequestRecord } from "../records/request-record.js";
import { powerOfTwoAtMost, traceRandomness } from "./trace-randomness.js";

export const DEFAULT_RECORD_BUDGET_PER_SECOND = 5_000;
const WINDOW_MS = 1_000;
/**
 * The uniform sample always gets this share of the budget. Error and slow
 * counts from a short window are noisy; without a floor one burst of them can
 * leave a handful of records of weight ~200 standing for a second's requests
 * (seen in the kernel test), and the weighted counts then swing by 10%. The
 * budget may be exceeded by this share while errors alone overflow it.
 */
const MIN_UNIFORM_SHARE = 0.2;
/** The uniform probability never drops below this: one in a million still shows a flood's shape. */
const MIN_PROBABILITY = 1e-6;

export interface RecordSamplerOptions {
  /** Records kept per second (setBudget changes it). */
  budgetPerSecond: number;
  /** Monotonic-enough clock in ms (Date.now or a fake). */
  now?: () => number;
  random?: () => number;
}

export interface RecordSamplerCounters {
  kept: number;
  /** Not kept: still counted in the metric series. */
  sampledOut: number;
  keptErrors: number;
  keptSlow: number;
  keptTraced: number;
  keptUniform: number;
}

export class RecordSampler {
  readonly counters: RecordSamplerCounters = {
    kept: 0,
    sampledOut: 0,
    keptErrors: 0,
    keptSlow: 0,
    keptTraced: 0,
    keptUniform: 0,
  };
  private readonly now: () => number;
  private readonly random: () => number;
  private uniform = 1;
  private traced = 1;
  private budget: number;
  private windowStartMs: number;
  private windowKept = 0;
  /** Records offered in the window, by kind. */
  private offeredErrors = 0;
  private offeredTraced = 0;
  private offeredSlow = 0;
  private offeredOther = 0;

  constructor(options: RecordSamplerOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.budget = validBudget(options.budgetPerSecond);
    this.windowStartMs = this.now();
  }

  /** Probability the rest (untraced, fast, successful requests) is kept with now. */
  get uniformProbability(): number {
    return this.uniform;
  }

  /** Probability a trace is kept with now. */
  get traceProbability(): number {
    return this.traced;
  }

  get budgetPerSecond(): number {
    return this.budget;
  }

  /** A new budget; the probabilities follow at the next window (within a second). */
  setBudget(perSecond: number): void {
    this.budget = validBudget(perSecond);
  }

  /**
   * Returns the record's sample weight when it is kept, 0 when it is not.
   * @param slowAboveNs its endpoint's p99 duration (Infinity when unknown)
   */
  decide(record: RequestRecord, slowAboveNs: number): number {
    const nowMs = this.now();
    const elapsedMs = nowMs - this.windowStartMs;
    // Early: a full second's budget already kept (at most once per ms, for a budget of 0).
    if (elapsedMs >= WINDOW_MS || (this.windowKept >= this.budget && elapsedMs >= 1)) this.adapt(nowMs);
    let weight = 0;
    if (record.error) {
      this.offeredErrors++;
      this.counters.keptErrors++;
      weight = 1;
    } else if (record.traceId !== "") {
      this.offeredTraced++;
      const randomness = traceRandomness(record.traceId);
      if (randomness === undefined ? this.random() < this.traced : randomness < this.traced) {
        this.counters.keptTraced++;
        weight = 1 / this.traced;
      }
    } else if (Number(record.durationNs) > slowAboveNs) {
      this.offeredSlow++;
      this.counters.keptSlow++;
      weight = 1;
    } else {
      this.offeredOther++;
      if (this.uniform >= 1 || this.random() < this.uniform) {
        this.counters.keptUniform++;
        weight = 1 / this.uniform;
      }
    }
    if (weight === 0) {
      this.counters.sampledOut++;
    } else {
      this.counters.kept++;
      this.windowKept++;
    }
    return weight;
  }

  /** Sets the probabilities for the next window from the rates of the one ending. */
  private adapt(nowMs: number): void {
    // A window that ended early is short: its rates are what filled the budget so fast.
    const perSecond = 1_000 / (nowMs - this.windowStartMs);
    let left = this.budget - (this.offeredErrors + this.offeredSlow) * perSecond;
    const tracedRate = this.offeredTraced * perSecond;
    // No traced requests seen: the probability stays, so a first trace is not judged on nothing.
    if (tracedRate > 0) this.traced = powerOfTwoAtMost(Math.max(left, 0) / tracedRate);
    left -= tracedRate * this.traced;
    const otherRate = this.offeredOther * perSecond;
    left = Math.max(left, this.budget * MIN_UNIFORM_SHARE);
    if (otherRate > 0) this.uniform = Math.min(1, Math.max(MIN_PROBABILITY, left / otherRate));
    this.offeredErrors = 0;
    this.offeredTraced = 0;
    this.offeredSlow = 0;
    this.offeredOther = 0;
    this.windowKept = 0;
    this.windowStartMs = nowMs;
  }
}

function validBudget(perSecond: number): number {
  if (!Number.isFinite(perSecond) || perSecond < 0)
    throw new RangeError(`record budget must be 0 or more, got ${perSecond}`);
  return perSecond;
}
