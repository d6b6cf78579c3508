// The profiler's settings from the environment. PERISCOPE_PROFILE_HZ: samples
// per second per CPU, 1..499, 0 = off (default 97: prime, so it does not beat
// with timers at round rates). PERISCOPE_PROFILE_INTERVAL_MS: how often the
// kernel maps are drained and an interval is sent, 1000..15000 (default 15000:
// the drain's fixed work — walking the maps, reading each process's state —
// is paid per interval, and in make bench-profiler 15 s took the agent's share
// from 0.97–1.2 % of a core to 0.5–0.7 % against 10 s, in alternating runs).

export const DEFAULT_PROFILE_HZ = 97;
export const MAX_PROFILE_HZ = 499;
export const DEFAULT_PROFILE_INTERVAL_MS = 15_000;

export interface ProfileConfig {
  hz: number;
  intervalMs: number;
}

export function loadProfileConfig(env: NodeJS.ProcessEnv): ProfileConfig {
  return {
    hz: integerIn(env.PERISCOPE_PROFILE_HZ, "PERISCOPE_PROFILE_HZ", DEFAULT_PROFILE_HZ, 0, MAX_PROFILE_HZ),
    intervalMs: integerIn(
      env.PERISCOPE_PROFILE_INTERVAL_MS,
      "PERISCOPE_PROFILE_INTERVAL_MS",
      DEFAULT_PROFILE_INTERVAL_MS,
      1000,
      15_000,
    ),
  };
}

/** A rate from any source (env, local API): an integer 0..499 or an Error naming why not. */
export function validateProfileHz(value: unknown, name = "profile rate"): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_PROFILE_HZ) {
    throw new Error(`${name}: ${String(value)} is not an integer from 0 (off) to ${MAX_PROFILE_HZ} Hz`);
  }
  return value;
}

function integerIn(
  raw: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}=${raw}: expected an integer from ${min} to ${max}`);
  }
  return value;
}
