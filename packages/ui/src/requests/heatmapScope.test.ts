import { describe, expect, it } from "vitest";
import slowMinute from "../fixtures/heatmap-frontend-slow-minute.json";
import {
  describeScope,
  type HeatmapBody,
  heatmapQueries,
  heatmapStepSeconds,
  mergeHeatmaps,
  parseHeatmap,
  sliceText,
} from "./heatmapScope";
import { DEFAULT_FILTERS } from "./requestFilters";

const FRAME = { from: new Date("2026-12-08T10:00:00Z"), to: new Date("2026-12-08T10:15:00Z") };
const SLOW_MINUTE = parseHeatmap(slowMinute) as HeatmapBody;

describe("heatmapQueries", () => {
  it("asks for every call in the cluster without a service, at a whole-minute step", () => {
    const { scope, queries, unapplied } = heatmapQueries(FRAME, DEFAULT_FILTERS);
    expect(scope).toEqual({ kind: "all" });
    expect(queries.map(String)).toEqual([`from=${FRAME.from.getTime()}&to=${FRAME.to.getTime()}&step=60`]);
    expect(unapplied).toEqual([]);
  });

  it("scopes to the frame's service, and a lone peer as a service", () => {
    const service = heatmapQueries({ ...FRAME, service: "shop/frontend" }, DEFAULT_FILTERS);
    expect(service.queries.map((q) => q.get("service"))).toEqual(["shop/frontend"]);
    const peer = heatmapQueries(FRAME, { ...DEFAULT_FILTERS, peer: "orders/stock" });
    expect(peer.scope).toEqual({ kind: "service", service: "orders/stock" });
  });

  it("asks for both directions of an edge, as the list matches either", () => {
    const { scope, queries } = heatmapQueries(
      { ...FRAME, service: "orders/orders" },
      { ...DEFAULT_FILTERS, peer: "orders/stock" },
    );
    expect(scope).toEqual({ kind: "edge", service: "orders/orders", peer: "orders/stock" });
    expect(queries.map((q) => `${q.get("client")}->${q.get("server")}`)).toEqual([
      "orders/orders->orders/stock",
      "orders/stock->orders/orders",
    ]);
  });

  it("names the list's filters the metric series cannot apply, and leaves out the selection", () => {
    const { queries, unapplied } = heatmapQueries(
      { ...FRAME, namespace: "shop" },
      {
        ...DEFAULT_FILTERS,
        protocol: "http",
        status: "503",
        minDurationMs: "256",
        selFrom: FRAME.from.getTime() + 60_000,
        selTo: FRAME.from.getTime() + 120_000,
      },
    );
    expect(unapplied).toEqual(["namespace", "protocol", "status"]);
    expect(queries[0]?.get("from")).toBe(String(FRAME.from.getTime()));
    expect(queries[0]?.has("minDurationMs")).toBe(false);
  });

  it("picks the finest round step that keeps a range to about 40 columns", () => {
    expect(heatmapStepSeconds(5 * 60_000)).toBe(60);
    expect(heatmapStepSeconds(3_600_000)).toBe(120);
    expect(heatmapStepSeconds(6 * 3_600_000)).toBe(600);
    expect(heatmapStepSeconds(24 * 3_600_000)).toBe(3600);
    expect(heatmapStepSeconds(7 * 86_400_000)).toBe(21_600);
  });
});

describe("parseHeatmap and mergeHeatmaps", () => {
  it("reads the API body and refuses what is not one", () => {
    expect(SLOW_MINUTE.rows).toHaveLength(20);
    expect(SLOW_MINUTE.columns[2]).toMatchObject({ requests: 178, errors: 12 });
    expect(parseHeatmap({ error: { code: "internal" } })).toBeUndefined();
  });

  it("adds an edge's two directions column by column", () => {
    const merged = mergeHeatmaps([SLOW_MINUTE, SLOW_MINUTE]) as HeatmapBody;
    expect(merged.columns.map((c) => c.requests)).toEqual(SLOW_MINUTE.columns.map((c) => 2 * c.requests));
    expect(merged.columns[2]?.counts[13]).toBe(18);
    expect(SLOW_MINUTE.columns[2]?.counts[13]).toBe(9);
    expect(mergeHeatmaps([])).toBeUndefined();
  });

  it("says in words what is counted", () => {
    expect(describeScope({ kind: "service", service: "shop/frontend" }, "server")).toBe(
      "calls served by shop/frontend",
    );
    expect(describeScope({ kind: "service", service: "shop/loadgen" }, "client")).toBe(
      "calls made by shop/loadgen (it served none in this range)",
    );
    expect(describeScope({ kind: "all" }, "edges")).toBe("every call in the cluster, each counted once");
    expect([sliceText(60), sliceText(600), sliceText(7200)]).toEqual(["1-minute", "10-minute", "2-hour"]);
  });
});
