import { describe, expect, it } from "vitest";
import { CHECKOUT_SERVER } from "../requests/requests.fixtures";
import { buildWaterfall, parseTrace, traceHeading } from "./traceModel";

const at = (offsetUs: number) => {
  const ns = BigInt(CHECKOUT_SERVER.timeUnixNano) + BigInt(offsetUs) * 1000n;
  return { timeUnixNano: ns.toString(), time: new Date(Number(ns / 1_000_000n)).toISOString() };
};

/** frontend → orders (10 ms) → postgres (4 ms, parent inferred from the calling thread), with a failed redis call. */
export const CHECKOUT_TRACE = {
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  from: "2026-05-01T10:00:00.000Z",
  to: "2026-05-01T11:00:00.000Z",
  requestCount: 4,
  truncated: false,
  spans: [
    {
      spanId: "a",
      parentSpanId: "",
      parentInferred: false,
      depth: 0,
      childSpanIds: ["b"],
      request: { ...CHECKOUT_SERVER, id: "ra", ...at(0), durationMs: 10 },
      observations: [],
    },
    {
      spanId: "b",
      parentSpanId: "a",
      parentInferred: false,
      depth: 1,
      childSpanIds: ["c", "d"],
      request: { ...CHECKOUT_SERVER, id: "rb", ...at(1000), durationMs: 8 },
      observations: [],
    },
    {
      spanId: "c",
      parentSpanId: "b",
      parentInferred: true,
      parentInferredBy: "thread",
      joinedBy: "connection",
      depth: 2,
      childSpanIds: [],
      request: { ...CHECKOUT_SERVER, id: "rc", ...at(2000), durationMs: 4, protocol: "postgres" },
      observations: [],
    },
    {
      spanId: "d",
      parentSpanId: "b",
      parentInferred: false,
      depth: 2,
      childSpanIds: [],
      request: { ...CHECKOUT_SERVER, id: "rd", ...at(2500), durationMs: 0.5, error: true },
      observations: [],
    },
  ],
};

describe("parseTrace", () => {
  it("reads spans with their inferred-parent marks", () => {
    const trace = parseTrace(CHECKOUT_TRACE);
    expect(
      trace?.spans.map((s) => `${s.spanId}:${s.parentInferred}:${s.parentInferredBy}:${s.joinedBy}`),
    ).toEqual(["a:false::span", "b:false::span", "c:true:thread:connection", "d:false::span"]);
    expect(trace?.spans[0]?.observations).toHaveLength(1);
  });

  it("refuses a body without spans", () => {
    expect(parseTrace({ error: {} })).toBeUndefined();
  });
});

describe("buildWaterfall", () => {
  const trace = parseTrace(CHECKOUT_TRACE);
  const waterfall = buildWaterfall(trace?.spans ?? []);

  it("places each span as a fraction of the trace, to the microsecond", () => {
    expect(waterfall.durationMs).toBe(10);
    expect(waterfall.rows.map((r) => [r.offset, r.width])).toEqual([
      [0, 1],
      [0.1, 0.8],
      [0.2, 0.4],
      [0.25, 0.05],
    ]);
  });

  it("marks the spans on the critical path", () => {
    // c ends at 6 ms, d at 3 ms inside c: d overlaps c and is off the path.
    expect(waterfall.rows.map((r) => r.onCriticalPath)).toEqual([true, true, true, false]);
    expect(waterfall.segments.map((s) => `${s.spanId} ${s.startMs}-${s.endMs}`)).toEqual([
      "a 0-1",
      "b 1-2",
      "c 2-6",
      "b 6-9",
      "a 9-10",
    ]);
  });

  it("counts the services that own spans, and a caller outside the trace apart", () => {
    const end = (service: string) => ({ ...CHECKOUT_SERVER.server, service });
    const chain: [string, string][] = [
      ["shop/loadgen", "shop/frontend"],
      ["shop/frontend", "orders/orders"],
      ["orders/orders", "postgres"],
      ["orders/orders", "redis-server"],
    ];
    const spans = (trace?.spans ?? []).map((span, i) => {
      const [client, server] = chain[i] as [string, string];
      return { ...span, request: { ...span.request, client: end(client), server: end(server) } };
    });
    const chained = buildWaterfall(spans);
    expect(chained.services).toEqual(["shop/frontend", "orders/orders", "postgres", "redis-server"]);
    expect(chained.outsideCallers).toEqual(["shop/loadgen"]);
    expect(traceHeading(chained)).toBe("10.0 ms · 4 spans · 4 services · +1 caller outside the trace");
    expect(traceHeading(buildWaterfall(spans.slice(1, 2)))).toBe(
      "8.00 ms · 1 span · 1 service · +1 caller outside the trace",
    );
  });

  it("is empty for no spans", () => {
    expect(buildWaterfall([]).rows).toEqual([]);
  });
});
