import { describe, expect, it } from "vitest";
import { metricSeries } from "../fixtures/metric-series.js";
import { toMetricSeriesRow, UNIDENTIFIED_END } from "./metric-series-row.js";

const spec = {
  side: "client",
  startMs: Date.parse("2025-01-10T12:00:00Z"),
  durationsMs: [1, 1, 2],
  client: { service: "web", ip: "10.0.0.1", port: 40000 },
  server: { service: "api", ip: "10.0.0.2", port: 8080 },
  target: "/users/{id}",
} as const;

describe("toMetricSeriesRow", () => {
  it("keeps an edge's two ends and an endpoint's server only", () => {
    const edge = toMetricSeriesRow("a", metricSeries({ ...spec, kind: "edge" }));
    expect(edge).toMatchObject({
      kind: "edge",
      client_service: "web",
      server_service: "api",
      request_count: 3,
    });
    const endpoint = toMetricSeriesRow("a", metricSeries({ ...spec, kind: "endpoint" }));
    expect(endpoint).toMatchObject({
      kind: "endpoint",
      client_service: "",
      client_ip: "",
      target: "/users/{id}",
    });
    expect(endpoint.latency_counts.reduce((sum, count) => sum + count, 0)).toBe(3);
  });

  it("names the ends of an agent's catch-all series (past its series cap) so its counts reach the map", () => {
    const catchAll = { ...metricSeries({ ...spec, kind: "edge" }), client: undefined, server: undefined };
    expect(toMetricSeriesRow("a", catchAll)).toMatchObject({
      client_service: UNIDENTIFIED_END,
      server_service: UNIDENTIFIED_END,
      request_count: 3,
    });
  });
});
