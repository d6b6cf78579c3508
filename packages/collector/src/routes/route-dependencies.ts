import type { ApiTokenStore } from "../auth/api-token-store.js";
import type { StoredConfig } from "../control/agent-config-store.js";
import type { CollectionConfigBody } from "../control/collection-config.js";
import type { IngestStats } from "../ingest/ingest-stats.js";
import type { LiveHub } from "../live/live-hub.js";
import type { CollectorMetrics } from "../metrics/collector-metrics.js";
import type { StorageActivity } from "../metrics/storage-activity.js";
import type { OtlpExporter } from "../otlp/otlp-exporter.js";
import type { AgentConfigState } from "../query/agents-query.js";
import type { DiskGuardState } from "../storage/disk-guard.js";
import type { QueryOutcomes } from "../storage/query-outcomes.js";
import type { Storage } from "../storage/storage.js";

/** What route plugins are given; nothing reaches them through globals. */
export interface RouteDependencies {
  storage: Storage;
  ingestStats: IngestStats;
  /** Agent control (config push); absent where the app runs without the gRPC side. */
  agentControl?: AgentControlPort;
  /** API tokens; absent means auth is off and every request acts as admin. */
  tokens?: ApiTokenStore;
  /** Live updates hub; absent where the app runs without ingest. */
  live?: LiveHub;
  /** Self-observability; absent, /metrics is not served. */
  metrics?: CollectorMetrics;
  /** The insert queue's depth for /api/v1/stats; absent where the app runs without ingest. */
  ingestQueue?: IngestQueuePort;
  /** What storing costs (inserts, parts, merges) for /api/v1/stats; absent without ingest. */
  storageActivity?: Pick<StorageActivity, "engineEvents" | "lastMinute">;
  /** The disk guard's drops and the queries stopped at a limit or cancelled, for /api/v1/stats. */
  storageGuards?: {
    diskGuard: { readonly enabled: boolean; readonly state: DiskGuardState };
    queryOutcomes: Pick<QueryOutcomes, "snapshot">;
  };
  /** The OTLP export's counters, when PERISCOPE_OTLP_ENDPOINT is set. */
  otlp?: Pick<OtlpExporter, "counters">;
}

/** What the stats route reads from the ingest handler's insert queue. */
export interface IngestQueuePort {
  readonly queueState: { batches: number; rows: number; bytes: number; storageDown: boolean };
}

/** What the HTTP routes need from agent control. */
export interface AgentControlPort {
  configState(agentId: string): AgentConfigState;
  connectedAgents(): { agentId: string; connectedAt: string }[];
  setConfig(
    scope: string,
    config: CollectionConfigBody,
    updatedBy: string,
  ): Promise<StoredConfig & { pushedTo: number }>;
  configFor(scope: string): StoredConfig | undefined;
}
