// One snapshot of the agent's counters, as /v1/stats (JSON) and /metrics
// (Prometheus text exposition format 0.0.4) serve it.

import type { KernelDropCounters } from "../capture/events.js";
import type { SpoolCounters } from "../export/batch-spool.js";
import type { ExportBacklogState } from "../export/exporter-options.js";
import type { MemoryState } from "../memory/memory-guard.js";
import type { ProfilerStats } from "../profiler/profiler.js";
import type { TraceParentRejection } from "../protocols/http1/trace-context.js";
import type { ThreadParentsCounters } from "../tracing/thread-parents.js";
import type { CaptureStats } from "./capture-stats.js";

export interface AgentStats {
  configVersion: number;
  capture: { batches: number; events: number; capturedBytes: number; connectionsOpen: number };
  /** Connections whose payload copies the agent turned off in the kernel. */
  connectionsDisabled: number;
  /** emitted by the parsers; kept by the record budget (the rest sampledOut, still in the metrics); exported, dropped by the exporter. */
  records: { emitted: number; kept: number; sampledOut: number; exported: number; dropped: number };
  /** The record budget and the probabilities it runs at now. */
  sampling: { budgetPerSecond: number; uniformProbability: number; traceProbability: number };
  /** Metric series: emitted by closed intervals, sent to the collector, dropped (queue bound or stop). */
  metricSeries: { emitted: number; sent: number; dropped: number };
  /**
   * Untraced calls given a parent from the thread that made them (thread-per-request
   * servers), threads seen serving two requests at once (never inferred for), and
   * calls released without one (timed out, over a bound, or answered by another thread).
   */
  threadParents: ThreadParentsCounters;
  /** `traceparent` values present but not used (malformed, version ff or 00 with extra fields, an all-zero id). */
  traceContextRejected: Record<TraceParentRejection, number>;
  /** dropped includes rejected: batches given up on for their content (the collector refused or could not decode them). */
  exportBatches: { sent: number; dropped: number; rejected: number };
  /** What the collector has not acknowledged yet: in memory (pending, in flight) and in the disk spool. */
  backlog: ExportBacklogState;
  /** The disk spool's counters; absent when it is off (PERISCOPE_SPOOL_DIR unset). */
  spool: SpoolCounters | undefined;
  /** The memory limit, RSS against it and load shedding; absent without a limit. */
  memory?: MemoryState & { source: string };
  /** The CPU profiler; absent when it could not be loaded. */
  profiler?: ProfilerStats;
  /** Every loss, and the not-a-loss skips (sampled_out, records_sampled_out, *_overflow), by name. */
  drops: Record<string, number>;
}

interface Metric {
  name: string;
  help: string;
  type: "counter" | "gauge";
  samples: Array<[labels: string, value: number]>;
}

function metricsOf(stats: AgentStats): Metric[] {
  const counter = (name: string, help: string, value: number): Metric => ({
    name,
    help,
    type: "counter",
    samples: [["", value]],
  });
  return [
    counter(
      "periscope_agent_kernel_batches_total",
      "Ring-buffer batches delivered to the agent.",
      stats.capture.batches,
    ),
    counter("periscope_agent_kernel_events_total", "Kernel events decoded.", stats.capture.events),
    counter(
      "periscope_agent_captured_bytes_total",
      "Payload bytes copied by the kernel.",
      stats.capture.capturedBytes,
    ),
    counter(
      "periscope_agent_records_total",
      "Request records produced by the parsers.",
      stats.records.emitted,
    ),
    counter(
      "periscope_agent_records_exported_total",
      "Records the collector accepted.",
      stats.records.exported,
    ),
    counter(
      "periscope_agent_records_kept_total",
      "Records the record budget kept (errors, traced, slow, sampled).",
      stats.records.kept,
    ),
    counter(
      "periscope_agent_records_sampled_out_total",
      "Records the record budget did not keep; each is still counted in the metric series.",
      stats.records.sampledOut,
    ),
    counter(
      "periscope_agent_metric_series_sent_total",
      "Metric series the collector accepted.",
      stats.metricSeries.sent,
    ),
    counter(
      "periscope_agent_metric_series_dropped_total",
      "Metric series lost (their queue's bound, or the agent stopping).",
      stats.metricSeries.dropped,
    ),
    {
      name: "periscope_agent_record_sampling_probability",
      help: "Probability a record that is not an error, traced or slow is kept with now.",
      type: "gauge",
      samples: [["", stats.sampling.uniformProbability]],
    },
    {
      name: "periscope_agent_record_budget_per_second",
      help: "Request records sent per second at most (errors are kept beyond it).",
      type: "gauge",
      samples: [["", stats.sampling.budgetPerSecond]],
    },
    counter(
      "periscope_agent_export_batches_total",
      "Batches sent to the collector.",
      stats.exportBatches.sent,
    ),
    counter(
      "periscope_agent_connections_disabled_total",
      "Connections whose payload copying was turned off in the kernel.",
      stats.connectionsDisabled,
    ),
    {
      name: "periscope_agent_drops_total",
      help: "Data lost or skipped, by reason (sampled_out is sampling, not a loss).",
      type: "counter",
      samples: Object.entries(stats.drops).map(([reason, value]) => [`reason="${reason}"`, value]),
    },
    {
      name: "periscope_agent_ringbuf_full_total",
      help: "Kernel records lost because the ring buffer was full.",
      type: "counter",
      samples: [["", stats.drops.ringbuf_full ?? 0]],
    },
    {
      name: "periscope_agent_export_backlog_batches",
      help: "Batches the collector has not acknowledged, by where they wait (memory holds those in flight).",
      type: "gauge",
      samples: [
        ['where="memory"', stats.backlog.pendingBatches],
        ['where="in_flight"', stats.backlog.inFlightBatches],
        ['where="spool"', stats.backlog.spoolBatches],
      ],
    },
    {
      name: "periscope_agent_export_backlog_oldest_age_seconds",
      help: "Age of the oldest unacknowledged batch, by where it waits (0 when none).",
      type: "gauge",
      samples: [
        ['where="memory"', stats.backlog.oldestPendingAgeMs / 1000],
        ['where="spool"', stats.backlog.spoolOldestAgeMs / 1000],
      ],
    },
    {
      name: "periscope_agent_spool_bytes",
      help: "Bytes in the disk spool.",
      type: "gauge",
      samples: [["", stats.backlog.spoolBytes]],
    },
    ...(stats.memory === undefined
      ? []
      : [
          {
            name: "periscope_agent_memory_bytes",
            help: "Resident set size against the agent's memory limit and its shedding marks.",
            type: "gauge" as const,
            samples: [
              ['kind="rss"', stats.memory.rssBytes],
              ['kind="limit"', stats.memory.limitBytes],
              ['kind="high_water"', stats.memory.highWaterBytes],
              ['kind="low_water"', stats.memory.lowWaterBytes],
            ] as Array<[string, number]>,
          },
          {
            name: "periscope_agent_memory_shedding",
            help: "1 while the agent sheds load (RSS past its high-water mark until under the low one).",
            type: "gauge" as const,
            samples: [["", stats.memory.shedding ? 1 : 0]] as Array<[string, number]>,
          },
        ]),
    {
      name: "periscope_agent_connections_tracked",
      help: "Connections open as the kernel reported them.",
      type: "gauge",
      samples: [["", stats.capture.connectionsOpen]],
    },
    ...(stats.profiler === undefined
      ? []
      : [
          {
            name: "periscope_agent_profile_samples_total",
            help: "CPU profile samples drained from the kernel.",
            type: "counter" as const,
            samples: [["", stats.profiler.samples]] as Array<[string, number]>,
          },
          {
            name: "periscope_agent_profile_rate_hz",
            help: "CPU profiler samples per second per CPU (0: off).",
            type: "gauge" as const,
            samples: [["", stats.profiler.rateHz]] as Array<[string, number]>,
          },
          {
            name: "periscope_agent_profile_symbolized_ratio",
            help: "Share of profiled frames resolved to a symbol name.",
            type: "gauge" as const,
            samples: [["", stats.profiler.symbolizedShare]] as Array<[string, number]>,
          },
        ]),
    {
      name: "periscope_agent_config_version",
      help: "Version of the run-time capture config in force.",
      type: "gauge",
      samples: [["", stats.configVersion]],
    },
  ];
}

export function renderPrometheus(stats: AgentStats): string {
  const lines: string[] = [];
  for (const metric of metricsOf(stats)) {
    lines.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`);
    for (const [labels, value] of metric.samples) {
      lines.push(`${metric.name}${labels ? `{${labels}}` : ""} ${value}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The agent's counters gathered from each part, named as /v1/stats and /metrics show them. */
export interface AgentStatsSources {
  configVersion: number;
  threadParents: ThreadParentsCounters;
  traceContextRejected: Record<TraceParentRejection, number>;
  kernel: KernelDropCounters;
  decoder: { truncatedFrames: number; badSize: number; unknownType: number } | undefined;
  pipeline: {
    streamGaps: number;
    parseErrors: number;
    uncapturedBytes: number;
    streamOverflowBytes: number;
    unansweredRequests: number;
    recordsEmitted: number;
    connectionsEvicted: number;
  };
  exporter: {
    batchesSent: number;
    batchesDropped: number;
    batchesRejected: number;
    recordsSent: number;
    recordsDropped: number;
    seriesSent: number;
    seriesDropped: number;
  };
  backlog: ExportBacklogState;
  spool: SpoolCounters | undefined;
  capture: CaptureStats;
  sampler: {
    counters: { kept: number; sampledOut: number };
    budgetPerSecond: number;
    uniformProbability: number;
    traceProbability: number;
  };
  metrics: { seriesEmitted: number; endpointOverflow: number; seriesOverflow: number };
  memory?: (MemoryState & { source: string }) | undefined;
  profiler?: ProfilerStats | undefined;
  profilesDropped?: number;
}

export function buildAgentStats(s: AgentStatsSources): AgentStats {
  const k = s.kernel;
  return {
    configVersion: s.configVersion,
    capture: {
      batches: s.capture.batches,
      events: s.capture.events,
      capturedBytes: s.capture.capturedBytes,
      connectionsOpen: s.capture.connectionsOpen,
    },
    connectionsDisabled: s.capture.connectionsDisabled,
    records: {
      emitted: s.pipeline.recordsEmitted,
      kept: s.sampler.counters.kept,
      sampledOut: s.sampler.counters.sampledOut,
      exported: s.exporter.recordsSent,
      dropped: s.exporter.recordsDropped,
    },
    sampling: {
      budgetPerSecond: s.sampler.budgetPerSecond,
      uniformProbability: s.sampler.uniformProbability,
      traceProbability: s.sampler.traceProbability,
    },
    threadParents: { ...s.threadParents },
    traceContextRejected: { ...s.traceContextRejected },
    metricSeries: {
      emitted: s.metrics.seriesEmitted,
      sent: s.exporter.seriesSent,
      dropped: s.exporter.seriesDropped,
    },
    exportBatches: {
      sent: s.exporter.batchesSent,
      dropped: s.exporter.batchesDropped,
      rejected: s.exporter.batchesRejected,
    },
    backlog: s.backlog,
    spool: s.spool,
    ...(s.memory === undefined ? {} : { memory: s.memory }),
    ...(s.profiler === undefined ? {} : { profiler: s.profiler }),
    drops: {
      ringbuf_full: Number(k.ringbufFull),
      conn_map_full: Number(k.connMapFull),
      kernel_read_failed: Number(k.readFailed),
      mmsg_truncated: Number(k.mmsgTruncated),
      disabled_payload_events: Number(k.disabledPayload),
      disable_failed: s.capture.disableFailed,
      sampled_out: Number(k.sampledOut),
      records_malformed: s.decoder
        ? s.decoder.truncatedFrames + s.decoder.badSize + s.decoder.unknownType
        : 0,
      stream_gaps: s.pipeline.streamGaps,
      parse_errors: s.pipeline.parseErrors,
      uncaptured_bytes: s.pipeline.uncapturedBytes,
      stream_overflow_bytes: s.pipeline.streamOverflowBytes,
      unanswered_requests: s.pipeline.unansweredRequests,
      connections_evicted: s.pipeline.connectionsEvicted,
      export_queue_full: s.exporter.recordsDropped,
      records_sampled_out: s.sampler.counters.sampledOut,
      metric_series_dropped: s.exporter.seriesDropped,
      endpoint_overflow: s.metrics.endpointOverflow,
      series_overflow: s.metrics.seriesOverflow,
      export_batches_rejected: s.exporter.batchesRejected,
      spool_files_corrupt: s.spool?.filesCorrupt ?? 0,
      spool_batches_dropped: s.spool?.batchesDropped ?? 0,
      memory_shed_records: s.memory?.recordsShed ?? 0,
      profile_samples_no_room: s.profiler?.kernelDrops.countsFull ?? 0,
      profile_stack_collisions: s.profiler?.kernelDrops.stackCollisions ?? 0,
      profile_intervals_dropped: s.profilesDropped ?? 0,
    },
  };
}
