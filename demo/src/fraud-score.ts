// The fraud model: a deliberately CPU-heavy loop, so the profiler has a hot
// JavaScript function to find by name. Its own module (no side effects) so a
// unit test can time it and check it is deterministic.

/** Iterations per score; DEMO_FRAUD_ROUNDS overrides (4–7 ms of CPU at the default on this 2-core machine). */
export const DEFAULT_FRAUD_ROUNDS = 1_000_000;

/**
 * Mixes the payment's fields through `rounds` of xorshift and multiply (the
 * 32-bit finaliser of MurmurHash3) and maps the result to a risk score 0–99.
 * The name is what the flame graph shows: keep it, and keep the loop inside
 * this function, since a loop in a caller would be charged to the caller.
 */
export function scoreFraudRiskHotLoop(userId: number, amountCents: number, rounds: number): number {
  let state = (userId * 0x9e3779b1) ^ amountCents;
  for (let i = 0; i < rounds; i++) {
    state ^= state >>> 16;
    state = Math.imul(state, 0x85ebca6b);
    state ^= state >>> 13;
    state = Math.imul(state, 0xc2b2ae35);
    state ^= state >>> 16;
    state = (state + i) | 0;
  }
  return (state >>> 0) % 100;
}
