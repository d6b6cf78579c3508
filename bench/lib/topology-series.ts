// Edge metric series for every edge of a synthetic topology in one interval,
// as the agents on both ends would send them: what the map reads. Counts
// follow each edge's weight, errors its error rate, latency a spread around
// its median; `variant` shifts the figures so a later interval is a real
// update (new rates, new error ratios) and not a repeat.
import {
  create,
  LATENCY_SCALE,
  LatencyHistogram,
  type MetricSeries,
  MetricSeriesSchema,
  SeriesKind,
  Side,
} from "@periscope/proto";
import type { SyntheticEdge } from "./synthetic-topology.js";

export const SERIES_INTERVAL_MS = 5_000;

function endpoint(service: string, ip: string, port: number) {
  return { service, ip, port, pid: 0, processName: service, containerId: "" };
}

export function topologySeries(
  edges: readonly SyntheticEdge[],
  intervalStartMs: number,
  variant: number,
): MetricSeries[] {
  return edges.map((edge, index) => {
    const count = Math.max(1, Math.round(edge.weight * (1 + 0.3 * Math.sin(variant + index))));
    const errors = Math.round((count * edge.errorPerMille * (1 + (variant % 3))) / 1000);
    const histogram = new LatencyHistogram(LATENCY_SCALE);
    let durationSum = 0n;
    for (let i = 0; i < count; i++) {
      const nanos = Math.round(edge.medianMicros * 1000 * (0.5 + (i % 10) / 9));
      histogram.record(nanos);
      durationSum += BigInt(nanos);
    }
    const observed = edge.clientObserved ? Side.CLIENT : Side.SERVER;
    return create(MetricSeriesSchema, {
      kind: SeriesKind.EDGE,
      side: observed,
      protocol: edge.protocol,
      startTimeUnixNano: BigInt(intervalStartMs) * 1_000_000n,
      intervalNano: BigInt(SERIES_INTERVAL_MS) * 1_000_000n,
      client: endpoint(edge.client, `10.200.${index >> 8}.${index & 255}`, 40_000),
      server: endpoint(edge.server, edge.serverIp, edge.serverPort),
      clientNamespace: edge.clientNamespace,
      serverNamespace: edge.serverNamespace,
      statusClass: errors > 0 ? "5xx" : "2xx",
      count: BigInt(count),
      errors: BigInt(errors),
      requestBytes: BigInt(count * 300),
      responseBytes: BigInt(count * 1200),
      durationSumNano: durationSum,
      latency: histogram.toMessage(),
    });
  });
}
