// The stats response: every ingest counter, the insert queue's depth, and each
// agent's self-reported drops. Counters are typed against IngestCounters, so a
// counter added there and not here fails the type check instead of being
// silently stripped by response serialisation.
import { SERIES_REJECTION_REASONS } from "../../../../ingest/batch-validation.js";
import type { IngestCounters } from "../../../../ingest/ingest-stats.js";

const COUNTER_DESCRIPTIONS: { readonly [K in keyof IngestCounters]: string } = {
  batchesStored: "Export batches stored",
  recordsStored: "Request records stored",
  batchesDuplicate: "Batches skipped as a retry of one already stored or queued (same agent and batch_seq)",
  batchesRejectedInvalid: "Malformed batches rejected (INVALID_ARGUMENT); nothing stored",
  batchesRefusedBusy: "Batches refused with RESOURCE_EXHAUSTED (the agent keeps and retries them)",
  batchesFailedStorage: "Batches storage refused for good (INTERNAL)",
  batchesBuffered:
    "Batches acknowledged while storage was failing: held in the collector's bounded buffer and stored when it returns",
  batchesRefusedBufferFull:
    "Batches refused because the insert queue / outage buffer was at its row or byte bound (also counted in batchesRefusedBusy)",
  recordsDroppedAfterAccept: "Records acknowledged as held, then refused by storage for good: lost",
  insertStatements:
    "INSERT statements run; recordsStored divided by this is how many records each insert coalesces",
  insertRows: "Rows those INSERT statements wrote, every table; divided by insertStatements, rows per insert",
  insertRetries: "Inserts that failed with a transient storage error and were retried",
  seriesStored: "Metric series stored (the map, RED and endpoints read them)",
  seriesRejected:
    "Metric series left out as malformed while the rest of their batch was stored; by reason in seriesRejectedBy",
  seriesPeersFolded:
    "Metric series stored with their far end as the service's {overflow} peer: the service already had 1,000 distinct peers across every agent",
};

const seriesRejectedBySchema = {
  type: "object",
  description: "seriesRejected by reason",
  required: [...SERIES_REJECTION_REASONS],
  properties: Object.fromEntries(SERIES_REJECTION_REASONS.map((reason) => [reason, { type: "integer" }])),
};

const countersSchema = {
  type: "object",
  required: Object.keys(COUNTER_DESCRIPTIONS),
  properties: Object.fromEntries(
    Object.entries(COUNTER_DESCRIPTIONS).map(([name, description]) => [
      name,
      { type: "integer", description },
    ]),
  ),
};

const queueSchema = {
  type: "object",
  description: "Batches accepted and not yet stored (queued, or held through a storage outage)",
  required: ["batches", "rows", "bytes", "storageDown"],
  properties: {
    batches: { type: "integer" },
    rows: { type: "integer", description: "rows of every table; bounded by PERISCOPE_INGEST_BUFFER_ROWS" },
    bytes: { type: "integer", description: "serialised bytes; bounded by PERISCOPE_INGEST_BUFFER_MB" },
    storageDown: {
      type: "boolean",
      description: "true while inserts fail with a transient error and batches are being held",
    },
  },
} as const;

const storageSchema = {
  type: "object",
  description:
    "What storing costs: inserts per table, the engine's parts and merges (system.events, cumulative since it started), and their rates over the last minute",
  required: ["insertsByTable", "engine", "lastMinute"],
  properties: {
    insertsByTable: {
      type: "object",
      description: "INSERT statements and rows per table since start",
      additionalProperties: {
        type: "object",
        required: ["statements", "rows"],
        properties: { statements: { type: "integer" }, rows: { type: "integer" } },
      },
    },
    engine: {
      type: "object",
      required: ["insertQueries", "partsWritten", "merges", "partsMerged", "mergeMilliseconds"],
      properties: {
        insertQueries: { type: "integer", description: "INSERT queries the engine ran" },
        partsWritten: {
          type: "integer",
          description: "parts written by inserts, materialized views' targets included; each is merged later",
        },
        merges: { type: "integer", description: "background merges run" },
        partsMerged: { type: "integer", description: "parts those merges merged away" },
        mergeMilliseconds: { type: "integer", description: "time spent merging, summed over merge threads" },
      },
    },
    lastMinute: {
      type: ["object", "null"],
      description: "rates over up to the last minute; null just after start",
      properties: {
        seconds: { type: "number" },
        insertsPerSecond: { type: "number" },
        rowsPerInsert: { type: "number" },
        partsWrittenPerSecond: { type: "number" },
        mergesPerSecond: { type: "number" },
        mergeSecondsPerSecond: {
          type: "number",
          description: "merge time per second of wall time (0.5: merges ran half the time)",
        },
      },
    },
  },
} as const;

const droppedSchema = {
  type: "object",
  required: ["partitions", "bytes"],
  properties: { partitions: { type: "integer" }, bytes: { type: "integer" } },
} as const;

// storage/disk-guard.ts and storage/query-limits.ts.
const guardsSchema = {
  type: "object",
  description:
    "Storage guards: the disk guard's drops, and queries stopped at a per-query limit or cancelled",
  required: ["diskGuard", "queries"],
  properties: {
    diskGuard: {
      type: "object",
      required: [
        "enabled",
        "checks",
        "overLimitChecks",
        "partitionsDropped",
        "bytesDropped",
        "droppedByTable",
        "cannotFree",
        "last",
      ],
      properties: {
        enabled: {
          type: "boolean",
          description: "PERISCOPE_STORAGE_MAX_BYTES or PERISCOPE_STORAGE_MIN_FREE_PERCENT set",
        },
        checks: { type: "integer" },
        overLimitChecks: { type: "integer", description: "checks that found storage over a limit" },
        partitionsDropped: {
          type: "integer",
          description: "oldest day partitions dropped to stay within the limits",
        },
        bytesDropped: { type: "integer" },
        droppedByTable: { type: "object", additionalProperties: droppedSchema },
        cannotFree: { type: "boolean", description: "over a limit with only the newest partitions left" },
        last: {
          type: ["object", "null"],
          properties: {
            at: { type: "string" },
            databaseBytes: { type: "integer", description: "bytes of the database's active parts" },
            volumeFreeBytes: { type: "integer" },
            volumeTotalBytes: { type: "integer" },
            bytesToFree: { type: "integer" },
          },
        },
      },
    },
    queries: {
      type: "object",
      required: ["tooLarge", "timedOut", "busy", "cancelled"],
      properties: {
        tooLarge: {
          type: "integer",
          description: "stopped at PERISCOPE_QUERY_MAX_ROWS / _MAX_MEMORY_MB (422)",
        },
        timedOut: { type: "integer", description: "stopped at PERISCOPE_QUERY_MAX_SECONDS (503)" },
        busy: { type: "integer", description: "the engine as a whole out of memory (503)" },
        cancelled: { type: "integer", description: "abandoned: the HTTP client disconnected" },
      },
    },
  },
} as const;

const agentSchema = {
  type: "object",
  properties: {
    agentId: { type: "string" },
    hostname: { type: "string" },
    version: { type: "string" },
    kernel: { type: "string" },
    lastSeen: { type: "string" },
    drops: { type: "object", additionalProperties: { type: "string" } },
  },
} as const;

const otlpSignalSchema = {
  type: "object",
  required: ["exported", "dropped", "requests", "retries", "queued", "lastError"],
  properties: {
    exported: { type: "integer", description: "spans or series the receiver accepted" },
    dropped: {
      type: "object",
      required: ["queue_full", "rejected"],
      properties: {
        queue_full: { type: "integer", description: "dropped while PERISCOPE_OTLP_QUEUE_ITEMS were waiting" },
        rejected: { type: "integer", description: "refused by the receiver (a 4xx, or its partial success)" },
      },
    },
    requests: { type: "integer" },
    retries: {
      type: "integer",
      description: "requests sent again after a network error, 429, 502, 503 or 504",
    },
    queued: { type: "integer" },
    lastError: { type: "string", description: "the latest failure; empty after a success" },
  },
} as const;

const otlpSchema = {
  type: "object",
  description: "OTLP export: request records as spans (traces), RED series as metrics",
  required: ["traces", "metrics"],
  properties: { traces: otlpSignalSchema, metrics: otlpSignalSchema },
} as const;

export const statsSchema = {
  summary:
    "Ingest counters, the insert queue's depth, what storing costs (inserts, parts, merges) and each agent's self-reported drop counters",
  tags: ["agents"],
  querystring: { type: "object", properties: {} },
  response: {
    200: {
      type: "object",
      required: ["ingest", "seriesRejectedBy", "agents"],
      properties: {
        ingest: countersSchema,
        seriesRejectedBy: seriesRejectedBySchema,
        profiles: {
          type: "object",
          description:
            "CPU profile rows: stacks and samples accepted, and rows left out as malformed, by reason",
          required: ["stacksAccepted", "samplesAccepted", "rejected", "rejectedBy"],
          properties: {
            stacksAccepted: { type: "integer" },
            samplesAccepted: { type: "integer" },
            rejected: { type: "integer" },
            rejectedBy: { type: "object", additionalProperties: { type: "integer" } },
          },
        },
        // Absent only where the app runs without the ingest side (tests of single routes).
        queue: queueSchema,
        // Absent, like queue, where the app runs without the ingest side.
        storage: storageSchema,
        guards: guardsSchema,
        // Present when PERISCOPE_OTLP_ENDPOINT is set.
        otlp: otlpSchema,
        agents: { type: "array", items: agentSchema },
      },
    },
  },
};
