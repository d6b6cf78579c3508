// The metric series matching the benchmark's synthetic requests, as agents
// would send them: the map, RED and endpoints read series, not request rows.
//
// Bulk load: one INSERT … SELECT per hour of the window folds the loaded
// `requests` rows into 5 s series in the engine (edges and endpoints, per
// side and status class, latency as bucket counts at LATENCY_SCALE), so the
// series hold every request, as an agent's do.
//
// gRPC ingest: foldIntoSeries() folds a batch's records the same way in JS,
// so each Export batch carries its records and their series.
import type { Storage } from "@periscope/collector";
import {
  create,
  LATENCY_SCALE,
  LatencyHistogram,
  type MetricSeries,
  MetricSeriesSchema,
  type RequestRecord,
  SeriesKind,
} from "@periscope/proto";

const INTERVAL_MS = 5_000;
const HOUR_MS = 3_600_000;

// Status classes as the agent's status-class.ts names them, for the synthetic statuses.
const STATUS_CLASS_SQL =
  "multiIf(protocol = 'http', concat(toString(intDiv(status, 100)), 'xx'), error, 'error', 'ok')";
// The synthetic targets end in a numeric id for HTTP and gRPC; the agent templates it.
const TARGET_TEMPLATE_SQL = "replaceRegexpOne(target, '/[0-9]+$', '/{id}')";
// OpenTelemetry's bucket index at LATENCY_SCALE (exponential-histogram.ts bucketIndex),
// close enough for a benchmark (the synthetic durations are ≥ 1 µs).
const BUCKET_SQL = `toInt16(ceil(log2(duration_ns) * ${2 ** LATENCY_SCALE}) - 1)`;

// Unknown clients (no service, no process) are named by their address, as the map does.
const CLIENT_KEY_SQL = "if(client_service = '' AND client_process = '', client_ip, '')";

const COLUMNS = `start_time, interval_ns, agent_id, kind, side, protocol, client_ip, client_port,
  client_service, client_process, client_namespace, client_workload, server_ip, server_port, server_service,
  server_process, server_namespace, server_workload, server_host, operation, target, status_class,
  request_count, error_count, request_bytes, response_bytes, duration_sum_ns, latency_zero_count,
  latency_buckets, latency_counts`;

/** The inner SELECT groups one hour of requests; the outer one splits the histogram tuple into its arrays. */
function foldSql(kind: "edge" | "endpoint"): string {
  const edge = kind === "edge";
  return `
INSERT INTO metric_series (${COLUMNS})
SELECT interval_start, ${INTERVAL_MS * 1_000_000}, agent_id, '${kind}', side, protocol, client_ip_any, 0,
  client_service_key, client_process_key, client_namespace_key, '', server_ip, server_port, server_service,
  server_process, server_namespace, '', server_host, operation_key, target_key, status_class,
  requests, errors, request_bytes_sum, response_bytes_sum, duration_sum, 0,
  tupleElement(latency, 1), tupleElement(latency, 2)
FROM (
  SELECT
    toStartOfInterval(time, toIntervalSecond(${INTERVAL_MS / 1000})) AS interval_start,
    agent_id, side, protocol,
    ${edge ? "any(client_ip)" : "''"} AS client_ip_any,
    ${edge ? "client_service" : "''"} AS client_service_key,
    ${edge ? "client_process" : "''"} AS client_process_key,
    ${edge ? "client_namespace" : "''"} AS client_namespace_key,
    ${edge ? CLIENT_KEY_SQL : "''"} AS client_address_key,
    server_ip, server_port, server_service, server_process, server_namespace, server_host,
    ${edge ? "''" : "operation"} AS operation_key,
    ${edge ? "''" : TARGET_TEMPLATE_SQL} AS target_key,
    ${STATUS_CLASS_SQL} AS status_class,
    count() AS requests, countIf(error) AS errors, sum(request_bytes) AS request_bytes_sum,
    sum(response_bytes) AS response_bytes_sum, sum(duration_ns) AS duration_sum,
    sumMap([${BUCKET_SQL}], [toUInt64(1)]) AS latency
  FROM requests
  WHERE time >= fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC') AND time < fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')
  GROUP BY interval_start, agent_id, side, protocol, client_service_key, client_process_key, client_namespace_key,
    client_address_key, server_ip, server_port, server_service, server_process, server_namespace, server_host,
    operation_key, target_key, status_class
)`;
}

/** Folds the requests of [fromMs, toMs) into metric series, an hour per statement. */
export async function loadSyntheticSeries(storage: Storage, fromMs: number, toMs: number): Promise<void> {
  for (const kind of ["edge", "endpoint"] as const) {
    const sql = foldSql(kind);
    for (let start = fromMs; start < toMs; start += HOUR_MS) {
      await storage.command(sql, { from_ms: start, to_ms: Math.min(start + HOUR_MS, toMs) });
    }
  }
}

interface Accumulator {
  series: MetricSeries;
  histogram: LatencyHistogram;
}

const edgeKey = (r: RequestRecord, interval: number, statusClass: string) =>
  [
    interval,
    r.side,
    r.protocol,
    r.client?.service,
    r.client?.service ? "" : r.client?.ip,
    r.server?.service,
    r.server?.ip,
    r.server?.port,
    statusClass,
  ].join("\u0000");

const statusClassOf = (r: RequestRecord) =>
  r.protocol === "http" ? `${Math.trunc(r.status / 100)}xx` : r.error ? "error" : "ok";

/** Every record folded into edge and endpoint series of INTERVAL_MS (the agent's fold, simplified). */
export function foldIntoSeries(records: readonly RequestRecord[]): MetricSeries[] {
  const byKey = new Map<string, Accumulator>();
  for (const r of records) {
    const startMs = Number(r.startTimeUnixNano / 1_000_000n);
    const interval = Math.floor(startMs / INTERVAL_MS) * INTERVAL_MS;
    const statusClass = statusClassOf(r);
    const target = r.target.replace(/\/[0-9]+$/, "/{id}");
    const keys = [
      ["edge", edgeKey(r, interval, statusClass)],
      [
        "endpoint",
        `${edgeKey({ ...r, client: undefined }, interval, statusClass)}\u0000${r.operation}\u0000${target}`,
      ],
    ] as const;
    for (const [kind, key] of keys) {
      let entry = byKey.get(`${kind}\u0000${key}`);
      if (entry === undefined) {
        entry = {
          histogram: new LatencyHistogram(LATENCY_SCALE),
          series: create(MetricSeriesSchema, {
            kind: kind === "edge" ? SeriesKind.EDGE : SeriesKind.ENDPOINT,
            startTimeUnixNano: BigInt(interval) * 1_000_000n,
            intervalNano: BigInt(INTERVAL_MS) * 1_000_000n,
            protocol: r.protocol,
            side: r.side,
            ...(kind === "edge" ? { client: r.client } : {}),
            server: r.server,
            serverHost: r.attributes["http.host"] ?? "",
            operation: kind === "endpoint" ? r.operation : "",
            target: kind === "endpoint" ? target : "",
            statusClass,
          }),
        };
        byKey.set(`${kind}\u0000${key}`, entry);
      }
      const s = entry.series;
      s.count += 1n;
      if (r.error) s.errors += 1n;
      s.requestBytes += r.requestBytes;
      s.responseBytes += r.responseBytes;
      s.durationSumNano += r.durationNano;
      entry.histogram.record(Number(r.durationNano));
    }
  }
  return [...byKey.values()].map(({ series, histogram }) => ({ ...series, latency: histogram.toMessage() }));
}
