import { describe, expect, it } from "vitest";
import { metricSeries } from "../fixtures/metric-series.js";
import { toMetricSeriesRow } from "./metric-series-row.js";
import { OVERFLOW_PEER, SeriesPeerBound } from "./series-peer-bound.js";

const MINUTE = 60_000;
const T = Math.floor(Date.now() / MINUTE) * MINUTE;

const fromClient = (i: number, startMs = T, clientHost = "") =>
  toMetricSeriesRow(
    `agent-${i % 7}`,
    metricSeries({
      kind: "edge",
      side: "server",
      startMs,
      client: { ip: `198.18.${(i >> 8) & 255}.${i & 255}`, port: 40_000 },
      clientHost,
      server: { ip: "10.0.0.2", port: 443, service: "edge-proxy" },
      durationsMs: [1],
    }),
  );

describe("SeriesPeerBound", () => {
  it("stores at most its cap of distinct peers per service across agents, the rest as {overflow}", () => {
    const bound = new SeriesPeerBound(100);
    const stored = Array.from({ length: 5_000 }, (_, i) => bound.apply(fromClient(i)));
    const peers = new Set(stored.map((row) => `${row.client_ip}|${row.client_host}`));
    expect(peers.size).toBe(101);
    const folded = stored.filter((row) => row.client_host === OVERFLOW_PEER);
    expect(folded).toHaveLength(4_900);
    expect(folded[0]).toMatchObject({ client_ip: "", client_service: "", server_service: "edge-proxy" });
    // An admitted peer keeps its slot.
    expect(bound.apply(fromClient(7)).client_ip).toBe("198.18.0.7");
  });

  it("lets a series an agent already folded through without taking a slot", () => {
    const bound = new SeriesPeerBound(1);
    const overflow = fromClient(0, T, OVERFLOW_PEER);
    expect(bound.apply(overflow)).toBe(overflow);
    expect(bound.apply(fromClient(1)).client_ip).toBe("198.18.0.1");
  });

  it("gives an idle peer's slot up after ten minutes of data time", () => {
    const bound = new SeriesPeerBound(1);
    expect(bound.apply(fromClient(1)).client_ip).toBe("198.18.0.1");
    expect(bound.apply(fromClient(2)).client_host).toBe(OVERFLOW_PEER);
    expect(bound.apply(fromClient(2, T + 11 * MINUTE)).client_ip).toBe("198.18.0.2");
  });
});
