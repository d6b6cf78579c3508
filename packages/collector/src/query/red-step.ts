// The step of a RED series: roll-ups are per minute, so never finer; at most
// MAX_POINTS points so a 31-day range stays a few hundred rows on the wire;
// and a "round" step so buckets line up with clock minutes and hours.
import { badRequest } from "../http/api-error.js";
import type { TimeRange } from "./time-range.js";

export const MAX_POINTS = 500;
const STEPS_SECONDS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** Picks a step for ~120 points, or checks the one asked for. */
export function chooseStep(range: TimeRange, requestedSeconds?: number): number {
  const seconds = (range.toMs - range.fromMs) / 1000;
  if (requestedSeconds !== undefined) {
    if (requestedSeconds % 60 !== 0) throw badRequest("step must be a whole number of minutes (in seconds)");
    if (Math.ceil(seconds / requestedSeconds) > MAX_POINTS) {
      throw badRequest(`step ${requestedSeconds}s gives more than ${MAX_POINTS} points for this range`);
    }
    return requestedSeconds;
  }
  const wanted = seconds / 120;
  return STEPS_SECONDS.find((step) => step >= wanted) ?? 86400;
}

/** Bucket starts (epoch ms) covering the range, aligned to the step. */
export function bucketStarts(range: TimeRange, stepSeconds: number): number[] {
  const stepMs = stepSeconds * 1000;
  const starts: number[] = [];
  for (let t = Math.floor(range.fromMs / stepMs) * stepMs; t < range.toMs; t += stepMs) starts.push(t);
  return starts;
}
