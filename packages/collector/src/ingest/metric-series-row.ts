// Maps a validated MetricSeries onto a row of `metric_series` (migration
// 0013; JSONEachRow through the insert queue's `extra` tables). The engine
// keeps nothing of the row itself: its views fold it into the minute roll-ups.
//
// JSON, not TSV like `requests`: an agent sends one series per edge or
// endpoint and status class every 5 s, tens to hundreds per batch against
// thousands of records, so the format's cost (JSONEachRow parses at about half
// the rate of TSV; src/storage/README.md) is not where ingest spends its time.
import { bucketsAtScale, LATENCY_SCALE, type MetricSeries, SeriesKind, Side } from "@periscope/proto";

export interface MetricSeriesRow {
  /** Nanoseconds since the epoch as a decimal string (DateTime64(9) reads it exactly). */
  start_time: string;
  interval_ns: number;
  agent_id: string;
  kind: "edge" | "endpoint";
  side: "client" | "server";
  protocol: string;
  client_ip: string;
  client_port: number;
  client_service: string;
  client_process: string;
  client_namespace: string;
  client_workload: string;
  client_host: string;
  server_ip: string;
  server_port: number;
  server_service: string;
  server_process: string;
  server_namespace: string;
  server_workload: string;
  server_host: string;
  operation: string;
  target: string;
  status_class: string;
  // Counts are below 2^53 (batch-validation.ts), so plain JSON numbers.
  request_count: number;
  error_count: number;
  request_bytes: number;
  response_bytes: number;
  duration_sum_ns: number;
  latency_zero_count: number;
  /** Bucket indexes at LATENCY_SCALE, ascending, and their counts. */
  latency_buckets: number[];
  latency_counts: number[];
}

/**
 * What an end without identity is called: past its series cap an agent folds
 * new keys into one catch-all series per kind, protocol, side and status class
 * with no client or server, so totals stay exact; the map shows it as this node.
 */
export const UNIDENTIFIED_END = "{overflow}";

const UNIDENTIFIED = { ip: "", port: 0, service: UNIDENTIFIED_END, processName: "" };

/** The series of one batch (validated) as rows of `metric_series`. */
export function toMetricSeriesRow(agentId: string, series: MetricSeries): MetricSeriesRow {
  const edge = series.kind === SeriesKind.EDGE;
  const client = edge ? (series.client ?? UNIDENTIFIED) : undefined;
  const server = series.server ?? UNIDENTIFIED;
  const latency = series.latency;
  const buckets = latency === undefined ? undefined : bucketsAtScale(latency, LATENCY_SCALE);
  return {
    start_time: series.startTimeUnixNano.toString(),
    interval_ns: Number(series.intervalNano),
    agent_id: agentId,
    kind: edge ? "edge" : "endpoint",
    side: series.side === Side.CLIENT ? "client" : "server",
    protocol: series.protocol,
    client_ip: client?.ip ?? "",
    client_port: client?.port ?? 0,
    client_service: client?.service ?? "",
    client_process: client?.processName ?? "",
    client_namespace: client === undefined ? "" : series.clientNamespace,
    client_workload: client === undefined ? "" : series.clientWorkload,
    client_host: client === undefined ? "" : series.clientHost,
    server_ip: server.ip,
    server_port: server.port,
    server_service: server.service,
    server_process: server.processName,
    server_namespace: series.serverNamespace,
    server_workload: series.serverWorkload,
    server_host: series.serverHost,
    operation: series.operation,
    target: series.target,
    status_class: series.statusClass,
    request_count: Number(series.count),
    error_count: Number(series.errors),
    request_bytes: Number(series.requestBytes),
    response_bytes: Number(series.responseBytes),
    duration_sum_ns: Number(series.durationSumNano),
    latency_zero_count: Number(latency?.zeroCount ?? 0n),
    latency_buckets: buckets?.indexes ?? [],
    latency_counts: buckets?.counts ?? [],
  };
}
