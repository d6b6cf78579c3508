import { describe, expect, it } from "vitest";
import type { RequestView } from "./request-view.js";
import { buildTraceTree } from "./trace-tree.js";

function view(
  id: string,
  spanId: string,
  parentSpanId: string,
  startMs: number,
  durationMs: number,
  client: string,
  server: string,
): RequestView {
  const endpoint = (service: string) => ({
    service,
    ip: "10.0.0.1",
    port: 80,
    pid: 1,
    processName: "p",
    containerId: "",
    namespace: "",
    workload: "",
    pod: "",
    node: "",
  });
  return {
    id,
    time: new Date(startMs).toISOString(),
    timeUnixNano: (BigInt(startMs) * 1_000_000n).toString(),
    protocol: "http",
    side: "client",
    client: endpoint(client),
    server: endpoint(server),
    operation: "GET",
    target: `/${id}`,
    status: 200,
    error: false,
    durationMs,
    requestBytes: 0,
    responseBytes: 0,
    traceId: "t",
    spanId,
    parentSpanId,
    agentId: "a",
    sampleWeight: 1,
  };
}

describe("buildTraceTree", () => {
  it("keeps spans whose declared parents point in a circle as roots", () => {
    const spans = buildTraceTree([
      view("x", "s1", "s2", 0, 5, "a", "b"),
      view("y", "s2", "s1", 1, 2, "c", "d"),
    ]);
    expect(spans.filter((s) => s.depth === 0).length).toBeGreaterThanOrEqual(1);
    expect(spans).toHaveLength(2);
  });

  it("leaves a span with no enclosing caller as a root", () => {
    const spans = buildTraceTree([view("x", "s1", "", 0, 5, "a", "b"), view("y", "s2", "", 10, 2, "b", "c")]);
    expect(spans.map((s) => [s.spanId, s.depth])).toEqual([
      ["s1", 0],
      ["s2", 0],
    ]);
  });

  it("says how each parent was known: propagated, read from the calling thread by the agent, or by timing here", () => {
    const spans = buildTraceTree(
      [
        view("root", "r1", "", 0, 100, "user", "shop"),
        // Propagated: the call declares its parent.
        view("propagated", "p1", "r1", 10, 20, "shop", "cart"),
        // Declared by the agent after reading the calling thread (its request id is in the set).
        view("threaded", "t1", "r1", 40, 10, "shop", "db"),
        // No parent declared: placed under the caller's enclosing span.
        view("timed", "m1", "", 12, 5, "cart", "stock"),
      ],
      { parentFromThread: new Set(["threaded"]) },
    );
    const by = new Map(spans.map((span) => [span.spanId, span]));
    expect(by.get("p1")).toMatchObject({ parentSpanId: "r1", parentInferred: false, parentInferredBy: "" });
    expect(by.get("t1")).toMatchObject({
      parentSpanId: "r1",
      parentInferred: true,
      parentInferredBy: "thread",
    });
    expect(by.get("m1")).toMatchObject({
      parentSpanId: "p1",
      parentInferred: true,
      parentInferredBy: "timing",
    });
    expect(by.get("r1")).toMatchObject({ parentInferred: false, parentInferredBy: "" });
  });

  it("gives records without a span id a span each", () => {
    const spans = buildTraceTree([view("x", "", "", 0, 5, "a", "b"), view("y", "", "", 1, 2, "b", "c")]);
    expect(spans.map((s) => [s.spanId, s.depth])).toEqual([
      ["request:x", 0],
      ["request:y", 1],
    ]);
  });
});

// The checkout of the demo, by hand: frontend calls cart, then orders; orders
// calls stock and courier in parallel, then charge. Courier is the slow one.
//   checkout  [0, 100]  frontend <- loadgen
//   cart      [2, 10]   frontend -> cart
//   order     [12, 98]  frontend -> orders
//   stock     [14, 30]  orders -> stock      (parallel with courier, ends first)
//   courier   [14, 80]  orders -> courier
//   charge    [82, 96]  orders -> charge
const CHECKOUT = [
  view("checkout", "s0", "", 0, 100, "loadgen", "frontend"),
  view("cart", "s1", "s0", 2, 8, "frontend", "cart"),
  view("order", "s2", "s0", 12, 86, "frontend", "orders"),
  view("stock", "s3", "s2", 14, 16, "orders", "stock"),
  view("courier", "s4", "s2", 14, 66, "orders", "courier"),
  view("charge", "s5", "s2", 82, 14, "orders", "charge"),
];

describe("the critical path", () => {
  it("walks back from the root's end through the last-finishing child, skipping parallel work that finished earlier", () => {
    const spans = buildTraceTree(CHECKOUT);
    expect(spans.filter((s) => s.critical).map((s) => s.request.id)).toEqual([
      "checkout",
      "cart",
      "order",
      "courier",
      "charge",
    ]);
    expect(spans.find((s) => s.request.id === "stock")?.critical).toBe(false);
  });

  it("leaves off a parallel call that started first but was still running when the slower one started", () => {
    // stock now starts 1 ms before courier and ends after courier started: it overlaps, so it is not on the path.
    const stockFirst = CHECKOUT.map((v) =>
      v.id === "stock" ? view("stock", "s3", "s2", 13, 17, "orders", "stock") : v,
    );
    const spans = buildTraceTree(stockFirst);
    expect(spans.filter((s) => s.critical).map((s) => s.request.id)).toEqual([
      "checkout",
      "cart",
      "order",
      "courier",
      "charge",
    ]);
  });

  it("names spans by route with ids templated, and applies OpenTelemetry's status rules", () => {
    const notFound = {
      ...view("users", "s9", "", 0, 1, "web", "api"),
      target: "/users/1057?x=1",
      status: 404,
      error: true,
    };
    const asServer = buildTraceTree([{ ...notFound, side: "server" }])[0];
    expect(asServer).toMatchObject({ operation: "GET /users/{id}", service: "api", status: "unset" });
    expect(buildTraceTree([notFound])[0]?.status).toBe("error");
    const failed = { ...notFound, side: "server" as const, status: 503 };
    expect(buildTraceTree([failed])[0]?.status).toBe("error");
  });

  it("marks a span whose declared parent never arrived as an orphan, and still returns it", () => {
    const spans = buildTraceTree([view("lonely", "s7", "never-seen", 0, 5, "x", "y")]);
    expect(spans).toEqual([
      expect.objectContaining({ spanId: "s7", orphan: true, depth: 0, critical: true }),
    ]);
    expect(buildTraceTree(CHECKOUT).some((s) => s.orphan)).toBe(false);
  });
});
