// Consistent-probability sampling of traces: every agent reads the same
// number from a trace id and keeps the trace when that number is below its
// keep probability. Both ends of a call, and every span of a trace, carry the
// same trace id, so each agent decides them alike; and an agent keeping with
// probability p/2 keeps a subset of the traces one keeping with p does.
//
// The number is the trace id's last 13 hex digits (52 bits, exact in a
// double) over 2^52. W3C Trace Context Level 2 (§3.2.2.3, the "random" flag)
// makes the rightmost 7 bytes of a trace id random, and OpenTelemetry's
// consistent probability sampling reads its randomness from the same bytes.

const RANDOM_HEX_DIGITS = 13;
const SCALE = 2 ** 52;

/** A trace id's randomness in [0, 1), or undefined when it is not hex. */
export function traceRandomness(traceId: string): number | undefined {
  if (traceId.length < RANDOM_HEX_DIGITS) return undefined;
  const value = Number.parseInt(traceId.slice(-RANDOM_HEX_DIGITS), 16);
  return Number.isNaN(value) ? undefined : value / SCALE;
}

/**
 * The largest power of two (1, 1/2, 1/4, …) not above `fraction`: agents under
 * similar load land on the same probability, and traces kept at a lower one
 * are kept at every higher one.
 */
export function powerOfTwoAtMost(fraction: number, smallest = 2 ** -20): number {
  if (fraction >= 1) return 1;
  if (!(fraction > smallest)) return smallest;
  return 2 ** Math.floor(Math.log2(fraction));
}
