import { describe, expect, it } from "vitest";
import { sampleRecord } from "../metrics/testing/sample-records.js";
import { RecordSampler } from "./record-sampler.js";
import { powerOfTwoAtMost, traceRandomness } from "./trace-randomness.js";

/** A deterministic stand-in for Math.random (mulberry32). */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const hex = (random: () => number, digits: number) =>
  Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join("");

/** Offers `perSecond` records for `seconds`, evenly spaced on a fake clock. */
function flood(
  sampler: RecordSampler,
  clock: { ms: number },
  perSecond: number,
  seconds: number,
  recordAt: (i: number) => Parameters<typeof sampleRecord>[0],
) {
  const result = { offered: 0, kept: 0, weightSum: 0, decisions: new Map<string, boolean>() };
  for (let i = 0; i < perSecond * seconds; i++) {
    clock.ms += 1_000 / perSecond;
    const record = sampleRecord(recordAt(i));
    const weight = sampler.decide(record, 10_000_000);
    result.offered++;
    if (weight > 0) {
      result.kept++;
      result.weightSum += weight;
    }
    if (record.traceId !== "") result.decisions.set(record.traceId, weight > 0);
  }
  return result;
}

describe("RecordSampler", () => {
  it("under a steady flood at 10× budget keeps about the budget, and weights sum to what was offered", () => {
    const clock = { ms: 0 };
    const sampler = new RecordSampler({
      budgetPerSecond: 1_000,
      now: () => clock.ms,
      random: seededRandom(1),
    });
    const result = flood(sampler, clock, 10_000, 20, () => ({}));
    expect(result.kept / 20).toBeGreaterThan(900);
    expect(result.kept / 20).toBeLessThan(1_150);
    expect(Math.abs(result.weightSum - result.offered) / result.offered).toBeLessThan(0.03);
    expect(sampler.counters.sampledOut).toBe(result.offered - result.kept);
    expect(sampler.uniformProbability).toBeCloseTo(0.1, 2);
  });

  it("keeps every error, with weight 1, and slow requests before the rest", () => {
    const clock = { ms: 0 };
    const sampler = new RecordSampler({ budgetPerSecond: 100, now: () => clock.ms, random: seededRandom(2) });
    let errors = 0;
    let slowKept = 0;
    for (let i = 0; i < 50_000; i++) {
      clock.ms += 0.2;
      const error = i % 50 === 0;
      const slow = i % 97 === 0;
      const weight = sampler.decide(
        sampleRecord({ error, status: error ? 500 : 200, durationNs: slow ? 50_000_000n : 1_000_000n }),
        10_000_000,
      );
      if (error) {
        errors++;
        expect(weight).toBe(1);
      } else if (slow) {
        expect(weight).toBe(1);
        slowKept++;
      }
    }
    expect(sampler.counters.keptErrors).toBe(errors);
    expect(sampler.counters.keptSlow).toBe(slowKept);
  });

  it("keeps or drops a trace at both ends alike across agents under different loads", () => {
    const random = seededRandom(3);
    const traceIds = Array.from({ length: 2_000 }, () => hex(random, 32));
    const busy = { ms: 0 };
    const quiet = { ms: 0 };
    const busySampler = new RecordSampler({
      budgetPerSecond: 500,
      now: () => busy.ms,
      random: seededRandom(4),
    });
    const quietSampler = new RecordSampler({
      budgetPerSecond: 500,
      now: () => quiet.ms,
      random: seededRandom(5),
    });
    // The busy agent sees 20× its budget of untraced requests beside the traced
    // ones, the quiet agent about its budget: their uniform probabilities differ
    // twentyfold, their trace decisions must not.
    const traced = (i: number) => ({ traceId: traceIds[Math.floor(i / 50) % traceIds.length] as string });
    const busyResult = flood(busySampler, busy, 10_000, 10, (i) => (i % 50 === 0 ? traced(i) : {}));
    const quietResult = flood(quietSampler, quiet, 600, 10, (i) => (i % 3 === 0 ? traced((i * 50) / 3) : {}));
    expect(busySampler.uniformProbability).toBeLessThan(0.1);
    expect(quietSampler.uniformProbability).toBeGreaterThan(0.5);
    let shared = 0;
    for (const [traceId, kept] of busyResult.decisions) {
      const other = quietResult.decisions.get(traceId);
      if (other === undefined) continue;
      shared++;
      expect(other).toBe(kept);
    }
    expect(shared).toBeGreaterThan(100);
  });

  it("when traces alone overflow the budget, a lower trace probability keeps a subset of a higher one's traces", () => {
    const random = seededRandom(6);
    const traceIds = Array.from({ length: 20_000 }, () => hex(random, 32));
    const run = (budget: number) => {
      const clock = { ms: 0 };
      const sampler = new RecordSampler({ budgetPerSecond: budget, now: () => clock.ms });
      const result = flood(sampler, clock, 2_000, 10, (i) => ({
        traceId: traceIds[i % traceIds.length] as string,
      }));
      return { sampler, result };
    };
    const low = run(300);
    const high = run(1_200);
    expect(low.sampler.traceProbability).toBe(0.125);
    expect(high.sampler.traceProbability).toBe(0.5);
    for (const [traceId, kept] of low.result.decisions)
      if (kept) expect(high.result.decisions.get(traceId)).toBe(true);
    expect(Math.abs(low.result.weightSum - low.result.offered) / low.result.offered).toBeLessThan(0.1);
  });

  it("follows a new budget within a second", () => {
    const clock = { ms: 0 };
    const sampler = new RecordSampler({
      budgetPerSecond: 1_000,
      now: () => clock.ms,
      random: seededRandom(7),
    });
    flood(sampler, clock, 10_000, 3, () => ({}));
    sampler.setBudget(100);
    flood(sampler, clock, 10_000, 1, () => ({}));
    const after = flood(sampler, clock, 10_000, 5, () => ({}));
    expect(after.kept / 5).toBeGreaterThan(80);
    expect(after.kept / 5).toBeLessThan(130);
    expect(() => sampler.setBudget(-1)).toThrow(RangeError);
  });
});

describe("trace randomness", () => {
  it("reads the trace id's last 52 bits", () => {
    expect(traceRandomness("4bf92f3577b34da6a3ce929d0e0e4736")).toBe(0xe929d0e0e4736 / 2 ** 52);
    expect(traceRandomness("0000000000000000000fffffffffffff")).toBeLessThan(1);
    expect(traceRandomness("xyz")).toBeUndefined();
  });

  it("steps probabilities down in powers of two", () => {
    expect(powerOfTwoAtMost(2)).toBe(1);
    expect(powerOfTwoAtMost(0.3)).toBe(0.25);
    expect(powerOfTwoAtMost(0)).toBe(2 ** -20);
  });
});
