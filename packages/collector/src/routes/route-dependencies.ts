import type { IngestStats } from "../ingest/ingest-stats.js";
import type { Storage } from "../storage/storage.js";

/** What route plugins are given; nothing reaches them through globals. */
export interface RouteDependencies {
  storage: Storage;
  ingestStats: IngestStats;
}
