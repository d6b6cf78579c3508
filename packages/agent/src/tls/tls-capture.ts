// The agent's TLS plaintext capture: OpenSSL files attached at start and as
// processes appear (PERISCOPE_TLS_SCAN_INTERVAL_MS, default 5 s; 0 turns TLS
// capture off). A file that cannot be attached is reported once, not retried.
import type { SocketTracer } from "../capture/socket-tracer.js";
import { TlsAttacher } from "./tls-attacher.js";

const DEFAULT_SCAN_INTERVAL_MS = 5_000;

export function tlsScanIntervalMs(env: NodeJS.ProcessEnv): number {
  const text = env.PERISCOPE_TLS_SCAN_INTERVAL_MS ?? String(DEFAULT_SCAN_INTERVAL_MS);
  const value = Number(text);
  if (!/^\d+$/.test(text) || (value !== 0 && (value < 100 || value > 3_600_000))) {
    throw new Error(`PERISCOPE_TLS_SCAN_INTERVAL_MS: must be 0 (off) or 100..3600000, got "${text}"`);
  }
  return value;
}

export function startTlsCapture(tracer: SocketTracer, scanIntervalMs: number): TlsAttacher | undefined {
  if (scanIntervalMs === 0) return undefined;
  const attacher = new TlsAttacher({
    attach: (path) => tracer.attachTls(path),
    scanIntervalMs,
    onError: (target, error) =>
      console.error(`periscope-agent: TLS uprobes not attached to ${target.path}: ${error.message}`),
  });
  attacher.start();
  return attacher;
}
