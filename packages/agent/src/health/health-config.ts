// The TCP health settings, from the environment (validated here, before anything loads).

export interface TcpHealthConfig {
  /** How often the kernel map is read and one interval reported. */
  intervalMs: number;
  /** Bound of the kernel's per-socket map; connections beyond it are counted, not tracked. */
  maxConnections: number;
}

function integerIn(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = raw ?? String(fallback);
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new Error(`${name}: must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

export function loadTcpHealthConfig(env: NodeJS.ProcessEnv): TcpHealthConfig {
  return {
    intervalMs: integerIn(
      "PERISCOPE_TCP_HEALTH_INTERVAL_MS",
      env.PERISCOPE_TCP_HEALTH_INTERVAL_MS,
      10_000,
      100,
      3_600_000,
    ),
    maxConnections: integerIn(
      "PERISCOPE_TCP_HEALTH_MAX_CONNS",
      env.PERISCOPE_TCP_HEALTH_MAX_CONNS,
      16_384,
      1,
      1 << 22,
    ),
  };
}
