// The RED series agents fold from every request, as OTLP metrics: per series
// and interval a delta point of requests, errors and bytes each way, and the
// latency as an exponential histogram. Agents' histograms are OpenTelemetry's
// own exponential buckets (packages/proto exponential-histogram.ts) over
// nanoseconds, so they travel bucket for bucket, with no re-binning error;
// the unit is therefore "ns" (semantic conventions' seconds would need a
// non-integral index shift).
import { create } from "@bufbuild/protobuf";
import { LATENCY_SCALE } from "@periscope/proto";
import type { MetricSeriesRow } from "../ingest/metric-series-row.js";
import {
  AggregationTemporality,
  type ExponentialHistogramDataPoint,
  ExponentialHistogramDataPointSchema,
  type Metric,
  MetricSchema,
  type NumberDataPoint,
  NumberDataPointSchema,
  type ResourceMetrics,
  ResourceMetricsSchema,
} from "./gen/opentelemetry/proto/metrics/v1/metrics_pb.js";
import { keyValues, type ObservedService, resourceKey, resourceOf, SCOPE } from "./otlp-attributes.js";

type SumName =
  | "periscope.requests"
  | "periscope.request.errors"
  | "periscope.request.size"
  | "periscope.response.size";
const SUMS: { name: SumName; unit: string; description: string; of(row: MetricSeriesRow): number }[] = [
  {
    name: "periscope.requests",
    unit: "{request}",
    description: "Requests completed",
    of: (r) => r.request_count,
  },
  {
    name: "periscope.request.errors",
    unit: "{request}",
    description: "Requests that failed",
    of: (r) => r.error_count,
  },
  {
    name: "periscope.request.size",
    unit: "By",
    description: "Bytes sent by clients",
    of: (r) => r.request_bytes,
  },
  {
    name: "periscope.response.size",
    unit: "By",
    description: "Bytes sent by servers",
    of: (r) => r.response_bytes,
  },
];
const DURATION = { name: "periscope.request.duration", unit: "ns", description: "Request duration" };

function observer(row: MetricSeriesRow): ObservedService {
  return row.side === "server"
    ? {
        service: row.server_service || row.server_process,
        namespace: row.server_namespace,
        pod: "",
        node: "",
      }
    : {
        service: row.client_service || row.client_process,
        namespace: row.client_namespace,
        pod: "",
        node: "",
      };
}

function pointAttributes(row: MetricSeriesRow) {
  return keyValues({
    "periscope.series.kind": row.kind,
    "periscope.observed_from": row.side,
    "network.protocol.name": row.protocol,
    "client.service":
      row.kind === "edge" ? row.client_service || row.client_host || row.client_ip : undefined,
    "client.namespace": row.kind === "edge" ? row.client_namespace : undefined,
    "server.service":
      row.server_service || row.server_host || (row.server_ip && `${row.server_ip}:${row.server_port}`),
    "server.namespace": row.server_namespace,
    "periscope.operation": row.operation,
    "periscope.target": row.target,
    "periscope.status_class": row.status_class,
  });
}

function times(row: MetricSeriesRow): { startTimeUnixNano: bigint; timeUnixNano: bigint } {
  const start = BigInt(row.start_time);
  return { startTimeUnixNano: start, timeUnixNano: start + BigInt(row.interval_ns) };
}

function histogramPoint(
  row: MetricSeriesRow,
  attributes: ReturnType<typeof keyValues>,
): ExponentialHistogramDataPoint {
  const buckets = row.latency_buckets;
  const offset = buckets.length === 0 ? 0 : (buckets[0] as number);
  const last = buckets.length === 0 ? offset - 1 : (buckets.at(-1) as number);
  // Dense from the lowest bucket to the highest, as OTLP lays them out.
  const bucketCounts = new Array<bigint>(last - offset + 1).fill(0n);
  buckets.forEach((index, i) => {
    bucketCounts[index - offset] = BigInt(row.latency_counts[i] ?? 0);
  });
  return create(ExponentialHistogramDataPointSchema, {
    attributes,
    ...times(row),
    count: BigInt(row.request_count),
    sum: row.duration_sum_ns,
    scale: LATENCY_SCALE,
    zeroCount: BigInt(row.latency_zero_count),
    positive: { offset, bucketCounts },
  });
}

interface ResourceGroup {
  service: ObservedService;
  sums: Map<SumName, NumberDataPoint[]>;
  durations: ExponentialHistogramDataPoint[];
}

/** Series grouped by the service that observed them; each metric holds that service's points. */
export function toResourceMetrics(rows: readonly MetricSeriesRow[]): ResourceMetrics[] {
  const groups = new Map<string, ResourceGroup>();
  for (const row of rows) {
    const service = observer(row);
    const key = resourceKey(service);
    let group = groups.get(key);
    if (group === undefined) {
      group = { service, sums: new Map(), durations: [] };
      groups.set(key, group);
    }
    const attributes = pointAttributes(row);
    for (const sum of SUMS) {
      const points = group.sums.get(sum.name) ?? [];
      points.push(
        create(NumberDataPointSchema, {
          attributes,
          ...times(row),
          value: { case: "asInt", value: BigInt(sum.of(row)) },
        }),
      );
      group.sums.set(sum.name, points);
    }
    group.durations.push(histogramPoint(row, attributes));
  }
  return [...groups.values()].map((group) => {
    const metrics: Metric[] = SUMS.map((sum) =>
      create(MetricSchema, {
        name: sum.name,
        unit: sum.unit,
        description: sum.description,
        data: {
          case: "sum",
          value: {
            dataPoints: group.sums.get(sum.name) ?? [],
            aggregationTemporality: AggregationTemporality.DELTA,
            isMonotonic: true,
          },
        },
      }),
    );
    metrics.push(
      create(MetricSchema, {
        ...DURATION,
        data: {
          case: "exponentialHistogram",
          value: { dataPoints: group.durations, aggregationTemporality: AggregationTemporality.DELTA },
        },
      }),
    );
    return create(ResourceMetricsSchema, {
      resource: resourceOf(group.service),
      scopeMetrics: [{ scope: SCOPE, metrics }],
    });
  });
}
