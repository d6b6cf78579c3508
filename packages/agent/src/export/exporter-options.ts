// What an Exporter is told (its options) and what it reports outward: the
// backlog it holds, whether the collector has taken a batch, and its counters.
// Apart from exporter.ts so that readers of its state (/v1/stats, /v1/ready)
// need not import the exporter itself.
import type * as grpc from "@grpc/grpc-js";
import type { AgentInfo } from "@periscope/proto";

export interface ExporterOptions {
  /** host:port of the collector's gRPC ingest. */
  address: string;
  agentId: string;
  /** Read when a batch is sent, so drop counters are current. */
  agentInfo: () => AgentInfo;
  maxBatchRecords?: number;
  flushIntervalMs?: number;
  /** Sealed batches waiting to be sent; beyond this new batches are dropped. */
  maxPendingBatches?: number;
  /**
   * Export calls awaiting their answer at once. The collector answers once a
   * batch is stored and coalesces concurrent batches into one INSERT, lingering
   * up to 5 s between inserts while nobody reads the data (its
   * PERISCOPE_INGEST_IDLE_LINGER_MS) and inserting early once an agent has 8
   * batches waiting: 16 in flight keep a 1 s flush from stalling on that wait,
   * without anything acknowledged before it is stored.
   */
  maxInFlightBatches?: number;
  /**
   * Metric series waiting for a batch; beyond this the oldest are dropped
   * (counted). They wait apart from records so that a full record queue
   * never costs a series: the series are what keep the map exact.
   */
  maxQueuedSeries?: number;
  /** Series carried by one batch. */
  maxBatchSeries?: number;
  /** An empty batch goes out this often when idle, carrying AgentInfo (drop counters). */
  heartbeatIntervalMs?: number;
  requestTimeoutMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** TLS or plaintext (the default); see collector-credentials.ts. */
  credentials?: grpc.ChannelCredentials;
  /** Sent as `authorization: Bearer …` on every Export call when the collector requires an agent token. */
  token?: string;
  /**
   * Directory of the disk spool (batch-spool.ts): batches beyond
   * maxPendingBatches, and those unacknowledged at close, go there instead of
   * being dropped, and are sent from there, oldest first, when the collector
   * keeps up again or the agent restarts. Absent: no spool.
   */
  spoolDir?: string;
  /** The spool's bound; beyond it the oldest spooled batches are dropped (counted). */
  spoolMaxBytes?: number;
  /** Where one line per batch given up on (and spool trouble) goes; console.error by default. */
  log?: (message: string) => void;
}

/** What is held unacknowledged, for /v1/stats, /metrics and AgentInfo.backlog. */
export interface ExportBacklogState {
  pendingBatches: number;
  inFlightBatches: number;
  /** Since the oldest batch in memory was sealed; 0 when none. */
  oldestPendingAgeMs: number;
  spoolBatches: number;
  spoolBytes: number;
  /** Since the oldest spooled batch was sealed; 0 when none. */
  spoolOldestAgeMs: number;
}

/**
 * Whether the collector has taken a batch yet, for GET /v1/ready: "starting"
 * until the first Export call answers, then "delivered" while calls succeed and
 * "retrying" while they fail; collectorReachable says whether the last failure
 * came from the collector (an answer) or from getting no answer at all.
 */
export interface ExportDelivery {
  state: "starting" | "delivered" | "retrying";
  batchesSent: number;
  /** Whether the collector answered the last call (a call failing before it reached it: no). */
  collectorReachable: boolean | undefined;
  /** The last failure's gRPC status and message; absent once a batch is delivered. */
  lastError?: string;
}

export interface ExporterCounters {
  batchesSent: number;
  recordsSent: number;
  /** Records lost because the pending-batch queue was full. */
  recordsDropped: number;
  batchesDropped: number;
  retries: number;
  /** TCP health records lost because the pending-batch queue was full or the exporter closed. */
  connectionStatsDropped: number;
  /** Metric series the collector accepted. */
  seriesSent: number;
  /** Metric series lost: their queue was full (oldest first) or the exporter closed. */
  seriesDropped: number;
  /** Profiling intervals lost: queue bound, batches dropped, refused or unsent at close. */
  profilesDropped: number;
  /**
   * Batches given up on for their content (the collector refused or could not
   * decode them, or they could not be encoded); also in batchesDropped,
   * their records, series and connections in the *Dropped counters.
   */
  batchesRejected: number;
}
