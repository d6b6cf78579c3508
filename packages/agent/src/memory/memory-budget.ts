// How much the agent buffers in memory, sized to fit under its memory limit.
// Without a limit the bounds are the long-standing defaults.

/** The bounds of the agent's in-memory queues and tables. */
export interface BufferBounds {
  /** Exporter: sealed batches held in memory (in flight included). */
  maxPendingBatches: number;
  /** Exporter: metric series waiting for a batch. */
  maxQueuedSeries: number;
  /** Pipeline: connections tracked (each with its two reassembly buffers). */
  maxConnections: number;
}

export const DEFAULT_BUFFER_BOUNDS: BufferBounds = {
  maxPendingBatches: 64,
  maxQueuedSeries: 50_000,
  maxConnections: 16_384,
};

/**
 * What the runtime needs before anything is buffered: Node.js, V8's heap
 * headroom for collection, the native addon and its ring-buffer copies. An
 * idle agent's RSS is ~80 MiB.
 */
const BASELINE_BYTES = 96 * 1024 * 1024;

/**
 * Share of the limit buffers may fill: the rest is the baseline and room for
 * V8 to collect before the RSS watch's high-water mark (85 %) is reached.
 */
const BUFFER_SHARE = 0.5;

/**
 * Rough in-memory cost per item. A record's wire encoding is ~1.5 KB in
 * storage-outage.kernel.test.ts; decoded objects are ~2x that, so a batch of
 * 512 records is ~1.5 MiB. A metric series with its histogram ~1 KiB. A
 * connection's objects ~2 KiB plus what its streams buffer: up to 64 KiB per
 * direction, but only while a message is incomplete, so 8 KiB on average; the
 * RSS watch (memory-guard.ts) covers the rare table full of large messages.
 */
const BATCH_BYTES = 1536 * 1024;
const SERIES_BYTES = 1024;
const CONNECTION_BYTES = 8 * 1024;

/** Shares of the buffer budget: batches 40 %, series 20 %, connections 40 %. */
const SHARES = { batches: 0.4, series: 0.2, connections: 0.4 } as const;

/**
 * Bounds that fit `limitBytes`: never above the defaults (the limit only
 * shrinks them) and never below a floor that still exports (4 batches, 1,000
 * series, 256 connections).
 */
export function boundsForLimit(limitBytes: number | undefined): BufferBounds {
  if (limitBytes === undefined) return DEFAULT_BUFFER_BOUNDS;
  const budget = Math.max(0, limitBytes * BUFFER_SHARE - BASELINE_BYTES);
  const fit = (share: number, itemBytes: number, floor: number, ceiling: number) =>
    Math.min(ceiling, Math.max(floor, Math.floor((budget * share) / itemBytes)));
  return {
    maxPendingBatches: fit(SHARES.batches, BATCH_BYTES, 4, DEFAULT_BUFFER_BOUNDS.maxPendingBatches),
    maxQueuedSeries: fit(SHARES.series, SERIES_BYTES, 1_000, DEFAULT_BUFFER_BOUNDS.maxQueuedSeries),
    maxConnections: fit(SHARES.connections, CONNECTION_BYTES, 256, DEFAULT_BUFFER_BOUNDS.maxConnections),
  };
}
