// Exports what agents send to an OTLP/HTTP receiver as protobuf: request
// records as spans (/v1/traces), RED series as metrics (/v1/metrics).
//
// Each signal has its own bounded queue, filled as batches are accepted (a
// retried agent batch is not offered twice: the ingest path answers it as a
// duplicate first) and sent in requests of at most MAX_ITEMS_PER_REQUEST, one
// at a time, at least every FLUSH_INTERVAL_MS. OTLP's retryable answers
// (network errors, 429, 502, 503, 504; Retry-After honoured) are retried with
// backoff while the queue keeps filling; a full queue drops what arrives and
// counts it, as does a receiver that rejects a request or part of it. Nothing
// here delays or fails ingest.
import { create, type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import type { MetricSeriesRow } from "../ingest/metric-series-row.js";
import type { RequestRow } from "../ingest/request-row.js";
import {
  ExportMetricsServiceRequestSchema,
  ExportMetricsServiceResponseSchema,
} from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
} from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { toResourceMetrics } from "./otlp-metrics.js";
import { toResourceSpans } from "./otlp-spans.js";

export const MAX_ITEMS_PER_REQUEST = 2048;
export const FLUSH_INTERVAL_MS = 1_000;
const REQUEST_TIMEOUT_MS = 10_000;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export type OtlpSignal = "traces" | "metrics";
export type OtlpDropReason = "queue_full" | "rejected";

export interface OtlpOptions {
  endpoint: string;
  headers: Record<string, string>;
  queueItems: number;
  /** Test seams. */
  fetchImpl?: typeof fetch;
  flushIntervalMs?: number;
  firstRetryMs?: number;
}

export interface OtlpSignalCounters {
  exported: number;
  dropped: Record<OtlpDropReason, number>;
  requests: number;
  retries: number;
  queued: number;
  /** The last failure, "" after a success. */
  lastError: string;
}

interface SignalCodec<Item> {
  path: string;
  encode(items: readonly Item[]): Uint8Array;
  /** Items the receiver says it rejected (partial success). */
  rejected(body: Uint8Array): number;
}

function rejectedOf<Desc extends DescMessage>(
  schema: Desc,
  body: Uint8Array,
  field: "rejectedSpans" | "rejectedDataPoints",
): number {
  if (body.length === 0) return 0;
  try {
    const response = fromBinary(schema, body) as MessageShape<Desc> & {
      partialSuccess?: Record<string, bigint>;
    };
    return Number(response.partialSuccess?.[field] ?? 0n);
  } catch {
    return 0;
  }
}

const TRACES: SignalCodec<RequestRow> = {
  path: "v1/traces",
  encode: (rows) =>
    toBinary(
      ExportTraceServiceRequestSchema,
      create(ExportTraceServiceRequestSchema, { resourceSpans: toResourceSpans(rows) }),
    ),
  rejected: (body) => rejectedOf(ExportTraceServiceResponseSchema, body, "rejectedSpans"),
};

// Each series becomes five data points (four sums and a histogram); drops and exports count series.
const METRICS: SignalCodec<MetricSeriesRow> = {
  path: "v1/metrics",
  encode: (rows) =>
    toBinary(
      ExportMetricsServiceRequestSchema,
      create(ExportMetricsServiceRequestSchema, { resourceMetrics: toResourceMetrics(rows) }),
    ),
  rejected: (body) =>
    Math.ceil(rejectedOf(ExportMetricsServiceResponseSchema, body, "rejectedDataPoints") / 5),
};

function emptyCounters(): OtlpSignalCounters {
  return {
    exported: 0,
    dropped: { queue_full: 0, rejected: 0 },
    requests: 0,
    retries: 0,
    queued: 0,
    lastError: "",
  };
}

class SignalQueue<Item> {
  readonly counters = emptyCounters();
  private items: Item[] = [];
  /** The request in flight: one at a time, whoever asks (the timer, a full batch, flush). */
  private current: Promise<boolean> | undefined;
  private retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly url: URL,
    private readonly codec: SignalCodec<Item>,
    private readonly options: Required<
      Pick<OtlpOptions, "headers" | "queueItems" | "flushIntervalMs" | "firstRetryMs">
    > & {
      fetchImpl: typeof fetch;
    },
  ) {
    this.retryMs = options.firstRetryMs;
  }

  offer(items: readonly Item[]): void {
    if (this.closed || items.length === 0) return;
    const room = this.options.queueItems - this.items.length;
    const taken = items.length <= room ? items : items.slice(0, Math.max(0, room));
    this.counters.dropped.queue_full += items.length - taken.length;
    for (const item of taken) this.items.push(item);
    this.counters.queued = this.items.length;
    if (this.items.length >= MAX_ITEMS_PER_REQUEST) this.send();
    else this.schedule(this.options.flushIntervalMs);
  }

  /** Sends what is queued now; resolves when the queue is empty or the next try is a retry. */
  async flush(): Promise<void> {
    while (this.items.length > 0 && !this.closed) {
      const ok = await this.attempt();
      if (!ok) return;
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, delayMs);
    this.timer.unref();
  }

  private send(): void {
    if (this.current !== undefined || this.closed) return;
    void this.attempt().then((ok) => {
      if (this.items.length === 0) return;
      if (!ok) this.schedule(this.retryMs);
      else if (this.items.length >= MAX_ITEMS_PER_REQUEST) this.send();
      else this.schedule(this.options.flushIntervalMs);
    });
  }

  private attempt(): Promise<boolean> {
    if (this.current === undefined) {
      this.current = this.sendOnce().finally(() => {
        this.current = undefined;
      });
    }
    return this.current;
  }

  /** One request with the oldest items: true when they are done with (sent, or dropped as rejected). */
  private async sendOnce(): Promise<boolean> {
    const batch = this.items.slice(0, MAX_ITEMS_PER_REQUEST);
    if (batch.length === 0) return true;
    this.counters.requests += 1;
    let outcome: { done: boolean; retryAfterMs?: number; error?: string };
    try {
      const response = await this.options.fetchImpl(this.url, {
        method: "POST",
        headers: { ...this.options.headers, "content-type": "application/x-protobuf" },
        body: this.codec.encode(batch),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = new Uint8Array(await response.arrayBuffer());
      if (response.ok) {
        const rejected = Math.min(batch.length, this.codec.rejected(body));
        this.counters.exported += batch.length - rejected;
        this.counters.dropped.rejected += rejected;
        outcome = { done: true };
      } else if (RETRYABLE_STATUS.has(response.status)) {
        const retryAfter = Number(response.headers.get("retry-after"));
        outcome = {
          done: false,
          error: `HTTP ${response.status}`,
          ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
        };
      } else {
        // 400 and the like: sending it again cannot succeed.
        this.counters.dropped.rejected += batch.length;
        outcome = {
          done: true,
          error: `HTTP ${response.status}: the receiver rejected ${batch.length} items`,
        };
      }
    } catch (error) {
      outcome = { done: false, error: error instanceof Error ? error.message : String(error) };
    }
    this.counters.lastError = outcome.error ?? "";
    if (!outcome.done) {
      this.counters.retries += 1;
      this.retryMs = Math.min(MAX_RETRY_MS, outcome.retryAfterMs ?? this.retryMs * 2);
      return false;
    }
    this.retryMs = this.options.firstRetryMs;
    this.items.splice(0, batch.length);
    this.counters.queued = this.items.length;
    return true;
  }
}

export class OtlpExporter {
  private readonly spans: SignalQueue<RequestRow>;
  private readonly series: SignalQueue<MetricSeriesRow>;

  constructor(options: OtlpOptions) {
    const base = options.endpoint.endsWith("/") ? options.endpoint : `${options.endpoint}/`;
    const queueOptions = {
      headers: options.headers,
      queueItems: options.queueItems,
      flushIntervalMs: options.flushIntervalMs ?? FLUSH_INTERVAL_MS,
      firstRetryMs: options.firstRetryMs ?? FIRST_RETRY_MS,
      fetchImpl: options.fetchImpl ?? fetch,
    };
    this.spans = new SignalQueue(new URL(TRACES.path, base), TRACES, queueOptions);
    this.series = new SignalQueue(new URL(METRICS.path, base), METRICS, queueOptions);
  }

  offer(rows: readonly RequestRow[], series: readonly MetricSeriesRow[]): void {
    this.spans.offer(rows);
    this.series.offer(series);
  }

  get counters(): Record<OtlpSignal, OtlpSignalCounters> {
    return { traces: this.spans.counters, metrics: this.series.counters };
  }

  /** Sends what is queued (shutdown, tests); stops at the first failure. */
  async flush(): Promise<void> {
    await Promise.all([this.spans.flush(), this.series.flush()]);
  }

  close(): void {
    this.spans.close();
    this.series.close();
  }
}
