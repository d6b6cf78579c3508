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

  it("gives records without a span id a span each", () => {
    const spans = buildTraceTree([view("x", "", "", 0, 5, "a", "b"), view("y", "", "", 1, 2, "b", "c")]);
    expect(spans.map((s) => [s.spanId, s.depth])).toEqual([
      ["request:x", 0],
      ["request:y", 1],
    ]);
  });
});
