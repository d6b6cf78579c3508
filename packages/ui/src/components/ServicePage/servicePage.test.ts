import { describe, expect, it } from "vitest";
import connectionsSharedComm from "../../fixtures/connections-shared-comm.json";
import mapDemoNamespaces from "../../fixtures/map-demo-namespaces.json";
import redOrdersQuietMinute from "../../fixtures/red-orders-quiet-minute.json";
import requestsDemo from "../../fixtures/requests-demo.json";
import { endpointLabel } from "./endpointLabel";
import {
  parseConnections,
  parseEndpoints,
  parseMapEdges,
  parseRed,
  parseRequestEnds,
  parseServices,
} from "./parseServiceApi";
import { peersOf } from "./peers";
import { errorRatioSeries, latencySeries, rateSeries, redTotals } from "./redCharts";
import { rangeOfUrl, redUrl, servicePagePath } from "./serviceApiUrls";
import { endpointsByService, serviceRows, serviceSortValue } from "./servicesTable";
import { nextSort, sortRows } from "./sortRows";
import { processesOf, tcpHealth } from "./tcpHealth";

const FROM = Date.parse("2026-05-01T10:00:00.000Z");
const SIX_MINUTES = { fromMs: FROM, toMs: FROM + 6 * 60_000 };

describe("RED of a service with a quiet minute (red-orders-quiet-minute)", () => {
  const red = parseRed(redOrdersQuietMinute);
  if (!red) throw new Error("fixture parses");

  it("totals are the metric series' counts over the whole range", () => {
    expect(redTotals(red, SIX_MINUTES)).toEqual({
      requests: 508,
      errors: 6,
      ratePerSecond: 508 / 360,
      errorRatio: 6 / 508,
      worstP99Ms: 40,
    });
  });

  it("draws the quiet minute as rate 0 but as a gap in error ratio and latency", () => {
    expect(rateSeries(red)[0]?.points[2]).toEqual({ t: FROM + 120_000, v: 0 });
    expect(errorRatioSeries(red)[0]?.points[2]?.v).toBeNull();
    expect(errorRatioSeries(red)[0]?.points[3]?.v).toBeCloseTo(6 / 121, 5);
    const latency = latencySeries(red);
    expect(latency.map((series) => series.key)).toEqual(["p50", "p90", "p99"]);
    expect(latency.map((series) => series.points[2]?.v)).toEqual([null, null, null]);
    expect(latency[2]?.points[3]?.v).toBe(40);
  });

  it("has no totals to show for a range with no requests", () => {
    const quiet = { ...red, points: red.points.map((point) => ({ ...point, requests: 0, errors: 0 })) };
    const totals = redTotals(quiet, SIX_MINUTES);
    expect(totals.errorRatio).toBeUndefined();
    expect(totals.worstP99Ms).toBeUndefined();
  });

  it("refuses a body that is not a RED response", () => {
    expect(parseRed({ error: { code: "bad_request", message: "service is required" } })).toBeUndefined();
  });
});

describe("upstream and downstream from the map's edges (map-demo-namespaces)", () => {
  const edges = parseMapEdges(mapDemoNamespaces) ?? [];

  it("lists callers upstream and callees downstream, busiest first", () => {
    const { upstream, downstream } = peersOf("orders/orders", edges, SIX_MINUTES);
    expect(upstream.map((row) => row.peer)).toEqual(["shop/frontend"]);
    expect(new Set(downstream.map((row) => row.peer))).toEqual(
      new Set(["orders/stock", "orders/courier", "billing/charge", "127.0.0.1:5432"]),
    );
    const counts = downstream.map((row) => row.requestCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const first = downstream[0];
    expect(first?.ratePerSecond).toBeCloseTo((first?.requestCount ?? 0) / 360, 6);
  });

  it("a service at the edge of the graph has one empty side", () => {
    expect(peersOf("shop/loadgen", edges, SIX_MINUTES).upstream).toEqual([]);
    expect(peersOf("127.0.0.1:5432", edges, SIX_MINUTES).downstream).toEqual([]);
  });
});

describe("TCP health picks the service's own pids out of a shared process name", () => {
  it("finds the service's processes from its requests (requests-demo)", () => {
    const ends = parseRequestEnds(requestsDemo) ?? [];
    expect(processesOf("demo-orders", ends)).toEqual({ names: ["demo-orders"], pids: new Set([4102]) });
    expect(processesOf("demo-users:7002", ends).pids).toEqual(new Set([4101]));
    expect(processesOf("nobody", ends)).toEqual({ names: [], pids: new Set() });
  });

  it("sums retransmits and resets, averages RTT where measured, ranks troubled connections (connections-shared-comm)", () => {
    const rows = parseConnections(connectionsSharedComm) ?? [];
    expect(rows).toHaveLength(5);
    const health = tcpHealth(rows, new Set([4102]));
    expect(health).toMatchObject({
      intervals: 4,
      connections: 3,
      retransmits: 4,
      resetsSent: 0,
      resetsReceived: 1,
      failedConnects: 1,
      meanRttMs: 0.3,
      maxRttMs: 0.4,
    });
    // pid 4100's 50 retransmits belong to another service with the same comm.
    expect(health.worst).toEqual([
      { connectionId: "c1", remote: "127.0.0.1:7002", retransmits: 4, resets: 1 },
    ]);
  });

  it("says nothing measured RTT rather than 0 ms", () => {
    expect(tcpHealth([], new Set([1]))).toMatchObject({
      intervals: 0,
      meanRttMs: undefined,
      maxRttMs: undefined,
    });
  });
});

describe("the services list", () => {
  const services = parseServices({
    services: [
      { name: "shop/frontend", namespace: "shop", requestCount: 600, errorCount: 0 },
      { name: "billing/charge", namespace: "billing", requestCount: 120, errorCount: 12 },
      { name: "idle", requestCount: 0, errorCount: 0 },
      { requestCount: 5, errorCount: 0 },
    ],
  });
  const endpoints = parseEndpoints({
    endpoints: [
      {
        service: "shop/frontend",
        protocol: "http",
        operation: "GET",
        target: "/",
        requestCount: 500,
        p99Ms: 30,
      },
      {
        service: "shop/frontend",
        protocol: "http",
        operation: "GET",
        target: "/slow",
        requestCount: 100,
        p99Ms: 900,
      },
      {
        service: "billing/charge",
        protocol: "grpc",
        operation: "Charge",
        target: "/x",
        requestCount: 0,
        p99Ms: 0,
      },
    ],
  });
  const rows = serviceRows(services ?? [], endpointsByService(endpoints ?? []), SIX_MINUTES);

  it("drops nameless entries and computes rate, error ratio and the slowest endpoint's p99", () => {
    expect(rows.map((row) => row.name)).toEqual(["shop/frontend", "billing/charge", "idle"]);
    expect(rows[0]).toMatchObject({ ratePerSecond: 600 / 360, errorRatio: 0, worstEndpointP99Ms: 900 });
    expect(rows[1]).toMatchObject({ errorRatio: 0.1, worstEndpointP99Ms: undefined, endpointCount: 1 });
    expect(rows[2]?.errorRatio).toBeUndefined();
  });

  it("sorts by a figure with undefined last in both directions", () => {
    const byErrors = (direction: "asc" | "desc") =>
      sortRows(rows, { key: "errorRatio", direction }, serviceSortValue).map((row) => row.name);
    expect(byErrors("desc")).toEqual(["billing/charge", "shop/frontend", "idle"]);
    expect(byErrors("asc")).toEqual(["shop/frontend", "billing/charge", "idle"]);
    expect(sortRows(rows, { key: "name", direction: "asc" }, serviceSortValue)[0]?.name).toBe(
      "billing/charge",
    );
  });

  it("flips a column on a second click and starts figures descending, names ascending", () => {
    expect(nextSort({ key: "rate", direction: "desc" }, "rate", ["name"])).toEqual({
      key: "rate",
      direction: "asc",
    });
    expect(nextSort({ key: "rate", direction: "desc" }, "name", ["name"])).toEqual({
      key: "name",
      direction: "asc",
    });
    expect(nextSort({ key: "name", direction: "asc" }, "p99", ["name"])).toEqual({
      key: "p99",
      direction: "desc",
    });
  });

  it("links a service whose name has a slash in one path segment", () => {
    expect(servicePagePath("shop/frontend")).toBe("/services/shop%2Ffrontend");
  });
});

describe("the range a panel's figures describe", () => {
  it("is the one its data was fetched for, read back from the URL", () => {
    const url = redUrl(
      { from: new Date(SIX_MINUTES.fromMs), to: new Date(SIX_MINUTES.toMs) },
      "shop/frontend",
    );
    expect(rangeOfUrl(url)).toEqual(SIX_MINUTES);
    expect(rangeOfUrl("/api/v1/services")).toBeUndefined();
    expect(rangeOfUrl("/api/v1/red?from=2026-05-01T10:06:00Z&to=2026-05-01T10:00:00Z")).toBeUndefined();
  });
});

describe("endpoint labels", () => {
  it("say a gRPC method once and an HTTP route with its method", () => {
    const grpc = "/demo.billing.Billing/Charge";
    expect(endpointLabel({ operation: grpc, target: grpc })).toBe(grpc);
    expect(endpointLabel({ operation: "GET", target: "/cart/{id}" })).toBe("GET /cart/{id}");
    expect(endpointLabel({ operation: "SELECT", target: "" })).toBe("SELECT");
  });
});
