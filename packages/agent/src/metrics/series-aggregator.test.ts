import { type MetricSeries, SeriesKind, Side } from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { OVERFLOW_TARGET, SeriesAggregator } from "./series-aggregator.js";
import { sampleRecord } from "./testing/sample-records.js";

function fakeClock(startMs = 1_700_000_000_000) {
  const clock = { ms: startMs, now: () => clock.ms };
  return clock;
}

const sum = (
  series: MetricSeries[],
  field: "count" | "errors" | "requestBytes" | "responseBytes" | "durationSumNano",
) => series.reduce((total, s) => total + s[field], 0n);
const histogramTotal = (s: MetricSeries) =>
  (s.latency?.zeroCount ?? 0n) + (s.latency?.bucketCounts.reduce((a, b) => a + b, 0n) ?? 0n);

describe("SeriesAggregator", () => {
  it("folds every record into its edge and its endpoint: counts, errors, bytes and histograms add up", () => {
    const clock = fakeClock(1_700_000_000_000);
    const aggregator = new SeriesAggregator({ intervalMs: 5_000, now: clock.now });
    const records = Array.from({ length: 1_000 }, (_, i) =>
      sampleRecord({
        target: `/users/${i}?page=${i % 3}`,
        status: i % 10 === 0 ? 503 : 200,
        error: i % 10 === 0,
        durationNs: BigInt((i + 1) * 1_000),
        requestBytes: i,
        responseBytes: 2 * i,
        attributes: {
          "http.host": "api.local",
          "k8s.server.namespace": "shop",
          "k8s.client.workload": "web",
        },
      }),
    );
    for (const record of records) aggregator.fold(record);
    clock.ms += 5_000;
    const series = aggregator.drain();
    const edges = series.filter((s) => s.kind === SeriesKind.EDGE);
    const endpoints = series.filter((s) => s.kind === SeriesKind.ENDPOINT);
    // One edge and one endpoint ("/users/{id}"), each split into 2xx and 5xx.
    expect(edges.map((s) => s.statusClass).sort()).toEqual(["2xx", "5xx"]);
    expect(endpoints.map((s) => `${s.operation} ${s.target} ${s.statusClass}`).sort()).toEqual([
      "GET /users/{id} 2xx",
      "GET /users/{id} 5xx",
    ]);
    const durationSum = records.reduce((total, r) => total + r.durationNs, 0n);
    for (const kind of [edges, endpoints]) {
      expect(sum(kind, "count")).toBe(1_000n);
      expect(sum(kind, "errors")).toBe(100n);
      expect(sum(kind, "requestBytes")).toBe(BigInt((999 * 1_000) / 2));
      expect(sum(kind, "responseBytes")).toBe(BigInt(999 * 1_000));
      expect(sum(kind, "durationSumNano")).toBe(durationSum);
      for (const s of kind) expect(histogramTotal(s)).toBe(s.count);
    }
    const edge = edges.find((s) => s.statusClass === "2xx");
    expect(edge?.client).toMatchObject({
      ip: "10.0.0.2",
      port: 0,
      service: "frontend",
      processName: "node",
      pid: 0,
    });
    expect(edge?.server).toMatchObject({ ip: "10.0.0.1", port: 8080, service: "api", processName: "api" });
    expect(edge).toMatchObject({
      serverHost: "api.local",
      serverNamespace: "shop",
      clientWorkload: "web",
      side: Side.SERVER,
    });
    expect(endpoints[0]?.client).toBeUndefined();
    expect(edge?.startTimeUnixNano).toBe(1_700_000_000_000n * 1_000_000n);
    expect(edge?.intervalNano).toBe(5_000_000_000n);
  });

  it("rolls intervals over at wall-clock multiples and emits each interval once", () => {
    const clock = fakeClock(1_700_000_003_000);
    const aggregator = new SeriesAggregator({ intervalMs: 5_000, now: clock.now });
    aggregator.fold(sampleRecord());
    expect(aggregator.drain()).toEqual([]);
    clock.ms = 1_700_000_005_000;
    aggregator.fold(sampleRecord());
    aggregator.fold(sampleRecord());
    clock.ms = 1_700_000_012_000;
    const first = aggregator.drain();
    expect(first.map((s) => [s.startTimeUnixNano / 1_000_000n, s.count])).toEqual([
      [1_700_000_000_000n, 1n],
      [1_700_000_000_000n, 1n],
      [1_700_000_005_000n, 2n],
      [1_700_000_005_000n, 2n],
    ]);
    expect(aggregator.drain()).toEqual([]);
    aggregator.fold(sampleRecord());
    const last = aggregator.drain(true);
    expect(last.map((s) => s.startTimeUnixNano / 1_000_000n)).toEqual([
      1_700_000_010_000n,
      1_700_000_010_000n,
    ]);
  });

  it("caps endpoints per server, folding the rest into a counted overflow endpoint", () => {
    const clock = fakeClock();
    const aggregator = new SeriesAggregator({ maxEndpointsPerServer: 3, now: clock.now });
    for (let i = 0; i < 10; i++)
      aggregator.fold(sampleRecord({ target: `/page-${String.fromCharCode(97 + i)}` }));
    clock.ms += 5_000;
    const endpoints = aggregator.drain().filter((s) => s.kind === SeriesKind.ENDPOINT);
    expect(endpoints.map((s) => [s.target, s.count])).toEqual([
      ["/page-a", 1n],
      ["/page-b", 1n],
      ["/page-c", 1n],
      [OVERFLOW_TARGET, 7n],
    ]);
    expect(aggregator.counters.endpointOverflow).toBe(7);
  });

  it("caps series per interval with catch-all series that keep totals exact", () => {
    const clock = fakeClock();
    const aggregator = new SeriesAggregator({ maxSeriesPerInterval: 4, now: clock.now });
    for (let i = 0; i < 10; i++) {
      aggregator.fold(
        sampleRecord({ client: { ip: `10.1.0.${i}`, port: 1, service: "", pid: 0, processName: "" } }),
      );
    }
    clock.ms += 5_000;
    const series = aggregator.drain();
    expect(
      sum(
        series.filter((s) => s.kind === SeriesKind.EDGE),
        "count",
      ),
    ).toBe(10n);
    expect(
      sum(
        series.filter((s) => s.kind === SeriesKind.ENDPOINT),
        "count",
      ),
    ).toBe(10n);
    expect(series.some((s) => s.target === OVERFLOW_TARGET && s.server === undefined)).toBe(true);
    expect(aggregator.counters.seriesOverflow).toBeGreaterThan(0);
  });

  it("tells the sampler an endpoint's p99 from the last interval", () => {
    const clock = fakeClock();
    const aggregator = new SeriesAggregator({ now: clock.now });
    for (let i = 1; i <= 100; i++) {
      expect(aggregator.fold(sampleRecord({ durationNs: BigInt(i * 1_000_000) }))).toBe(
        Number.POSITIVE_INFINITY,
      );
    }
    clock.ms += 5_000;
    const p99 = aggregator.fold(sampleRecord());
    // Rank 99 of 1..100 ms, within the histogram's 1.1%.
    expect(Math.abs(p99 - 99_000_000) / 99_000_000).toBeLessThan(0.011);
  });

  it("splits by HTTP status class, and by error for gRPC and other protocols", () => {
    const clock = fakeClock();
    const aggregator = new SeriesAggregator({ now: clock.now });
    aggregator.fold(sampleRecord({ status: 404 }));
    aggregator.fold(sampleRecord({ protocol: "http2", status: 302 }));
    aggregator.fold(sampleRecord({ protocol: "grpc", status: 5, error: true, target: "/a.B/C" }));
    aggregator.fold(sampleRecord({ protocol: "redis", status: 0, target: "user:1" }));
    clock.ms += 5_000;
    const classes = aggregator
      .drain()
      .filter((s) => s.kind === SeriesKind.ENDPOINT)
      .map((s) => `${s.protocol} ${s.target} ${s.statusClass}`);
    expect(classes).toEqual([
      "http /users/{id} 4xx",
      "http2 /users/{id} 3xx",
      "grpc /a.B/C error",
      "redis user:{id} ok",
    ]);
  });
});

describe("SeriesAggregator containers", () => {
  // Two host-network pods on one node, each running "node": same IP (the node's), same process name.
  const containers = new Map([
    [11, "a".repeat(64)],
    [12, "b".repeat(64)],
  ]);
  const fromPod = (pid: number) =>
    sampleRecord({
      side: "client",
      client: { ip: "10.0.0.11", port: 40_000 + pid, service: "node", pid, processName: "node" },
      server: { ip: "10.96.0.10", port: 80, service: "", pid: 0, processName: "" },
    });

  it("keeps two containers' series of one process name apart, each carrying its container id", () => {
    const asked: number[] = [];
    const aggregator = new SeriesAggregator({
      now: fakeClock().now,
      containerIdOf: (pid) => {
        asked.push(pid);
        return containers.get(pid) ?? "";
      },
    });
    for (let i = 0; i < 5; i++) aggregator.fold(fromPod(11));
    for (let i = 0; i < 3; i++) aggregator.fold(fromPod(12));
    const series = aggregator.drain(true);
    const edges = series.filter((s) => s.kind === SeriesKind.EDGE);
    expect(edges.map((s) => [s.client?.containerId, s.client?.ip, s.count])).toEqual([
      ["a".repeat(64), "10.0.0.11", 5n],
      ["b".repeat(64), "10.0.0.11", 3n],
    ]);
    // The remote server is no process here: no container id, and none was looked up for it.
    for (const edge of edges) expect(edge.server?.containerId).toBe("");
    expect(new Set(asked)).toEqual(new Set([11, 12]));
    // One endpoint series: both call the same remote server, which the endpoint names.
    expect(series.filter((s) => s.kind === SeriesKind.ENDPOINT).map((s) => s.count)).toEqual([8n]);
  });

  it("splits a server's endpoint series by its container and keeps one series per container across records", () => {
    const aggregator = new SeriesAggregator({
      now: fakeClock().now,
      containerIdOf: (pid) => containers.get(pid) ?? "",
    });
    const served = (pid: number) =>
      sampleRecord({ server: { ip: "10.0.0.11", port: 8080, service: "api", pid, processName: "api" } });
    aggregator.fold(served(11));
    aggregator.fold(served(11));
    aggregator.fold(served(12));
    const endpoints = aggregator.drain(true).filter((s) => s.kind === SeriesKind.ENDPOINT);
    expect(endpoints.map((s) => [s.server?.containerId, s.count])).toEqual([
      ["a".repeat(64), 2n],
      ["b".repeat(64), 1n],
    ]);
  });

  it("keeps naming series by their containers after its container table starts over", () => {
    const clock = fakeClock();
    // Past 1,024 containers the table of short key tokens starts over at the interval's end.
    const aggregator = new SeriesAggregator({
      now: clock.now,
      containerIdOf: (pid) => pid.toString(16).padStart(64, "0"),
    });
    for (let pid = 1; pid <= 1_100; pid++) aggregator.fold(fromPod(pid));
    clock.ms += 5_000;
    const first = aggregator.drain().filter((s) => s.kind === SeriesKind.EDGE);
    expect(new Set(first.map((s) => s.client?.containerId)).size).toBe(1_100);
    for (const pid of [7, 7, 1_099]) aggregator.fold(fromPod(pid));
    const second = aggregator.drain(true).filter((s) => s.kind === SeriesKind.EDGE);
    expect(second.map((s) => [s.client?.containerId, s.count])).toEqual([
      [(7).toString(16).padStart(64, "0"), 2n],
      [(1_099).toString(16).padStart(64, "0"), 1n],
    ]);
  });

  it("merges them without a container lookup, as before (host mode)", () => {
    const aggregator = new SeriesAggregator({ now: fakeClock().now });
    aggregator.fold(fromPod(11));
    aggregator.fold(fromPod(12));
    const edges = aggregator.drain(true).filter((s) => s.kind === SeriesKind.EDGE);
    expect(edges.map((s) => [s.client?.containerId, s.count])).toEqual([["", 2n]]);
  });
});

describe("SeriesAggregator peer cap", () => {
  const fromClient = (i: number, host?: string) =>
    sampleRecord({
      client: {
        ip: `127.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        port: 50_000,
        service: "",
        pid: 0,
        processName: "",
      },
      attributes: host === undefined ? {} : { "client.host": host },
    });

  it("keeps at most the cap of distinct clients per service across intervals, folding the rest into {overflow}", () => {
    const clock = fakeClock();
    const aggregator = new SeriesAggregator({ intervalMs: 5_000, maxPeersPerService: 100, now: clock.now });
    const series: MetricSeries[] = [];
    for (let i = 0; i < 50_000; i++) {
      aggregator.fold(fromClient(i));
      if (i % 5_000 === 4_999) {
        clock.ms += 5_000;
        series.push(...aggregator.drain());
      }
    }
    series.push(...aggregator.drain(true));
    const edges = series.filter((s) => s.kind === SeriesKind.EDGE);
    const peers = new Set(edges.map((s) => `${s.client?.ip}|${s.clientHost}`));
    expect(peers.size).toBe(101);
    expect(peers.has("|{overflow}")).toBe(true);
    expect(sum(edges, "count")).toBe(50_000n);
    expect(aggregator.counters.peerOverflow).toBe(49_900);
    const overflow = edges.filter((s) => s.clientHost === "{overflow}");
    expect(sum(overflow, "count")).toBe(49_900n);
  });

  it("gives an idle peer's slot to a new one", () => {
    const clock = fakeClock();
    const aggregator = new SeriesAggregator({ maxPeersPerService: 1, peerIdleMs: 60_000, now: clock.now });
    aggregator.fold(fromClient(1));
    aggregator.fold(fromClient(2));
    expect(aggregator.counters.peerOverflow).toBe(1);
    clock.ms += 65_000;
    aggregator.drain();
    aggregator.fold(fromClient(2));
    expect(aggregator.counters.peerOverflow).toBe(1);
  });

  it("folds the clients of one named block into one series without their addresses", () => {
    const aggregator = new SeriesAggregator({ now: fakeClock().now, isInternalAddress: () => false });
    for (let i = 0; i < 300; i++) aggregator.fold(fromClient(i, "203.0.113.0/24"));
    const edges = aggregator.drain(true).filter((s) => s.kind === SeriesKind.EDGE);
    expect(edges).toHaveLength(1);
    expect(edges[0]?.client?.ip).toBe("");
    expect(edges[0]?.clientHost).toBe("203.0.113.0/24");
    expect(aggregator.counters.peerOverflow).toBe(0);
  });
});
