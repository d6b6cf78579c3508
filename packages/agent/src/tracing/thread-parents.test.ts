import { PARENT_INFERRED_ATTRIBUTE } from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { Direction, Role } from "../capture/events.js";
import type { RequestRecord } from "../records/request-record.js";
import { type ThreadConnection, ThreadParents } from "./thread-parents.js";

const PID = 4200;
const served = (fd: number): ThreadConnection => ({ key: `${PID}:${fd}:1`, pid: PID, role: Role.Server });
const calling = (fd: number): ThreadConnection => ({ key: `${PID}:${fd}:1`, pid: PID, role: Role.Client });

function record(side: "client" | "server", startNs: bigint, target: string, trace = ""): RequestRecord {
  const end = { ip: "127.0.0.1", port: 0, service: "", pid: PID, processName: "python3" };
  return {
    protocol: "http",
    side,
    startMonotonicNs: startNs,
    durationNs: 1_000n,
    client: end,
    server: end,
    operation: "GET",
    target,
    status: 200,
    error: false,
    requestBytes: 10,
    responseBytes: 10,
    attributes: {},
    traceId: trace === "" ? "" : trace,
    spanId: trace === "" ? "" : "00f067aa0ba902b7",
    parentSpanId: "",
    truncated: false,
  };
}

function harness(options?: ConstructorParameters<typeof ThreadParents>[1]) {
  const out: RequestRecord[] = [];
  const parents = new ThreadParents((r) => out.push(r), options);
  return { out, parents };
}

describe("ThreadParents on a thread-per-request server", () => {
  it("puts a call made while a thread served a request under that request, in a trace started for it", () => {
    const { out, parents } = harness();
    parents.observe(served(7), Direction.Ingress, 11, 100n);
    parents.observe(calling(9), Direction.Egress, 11, 110n);
    parents.record(calling(9), record("client", 110n, "/child"));
    // Held until its parent is complete: the parent's trace context is known only then.
    expect(out).toEqual([]);
    parents.observe(served(7), Direction.Egress, 11, 150n);
    parents.record(served(7), record("server", 100n, "/parent"));
    const [parent, child] = out;
    expect(parent?.target).toBe("/parent");
    expect(parent?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(parent?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child).toMatchObject({
      target: "/child",
      traceId: parent?.traceId,
      parentSpanId: parent?.spanId,
      attributes: { [PARENT_INFERRED_ATTRIBUTE]: "thread" },
    });
    expect(child?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child?.spanId).not.toBe(parent?.spanId);
    expect(parents.counters).toEqual({ inferred: 1, multiplexedThreads: 0, released: 0 });
  });

  it("joins the call to the incoming request's own trace when it carried one", () => {
    const { out, parents } = harness();
    const trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    parents.observe(served(7), Direction.Ingress, 11, 100n);
    parents.observe(calling(9), Direction.Egress, 11, 110n);
    parents.record(calling(9), record("client", 110n, "/child"));
    parents.record(served(7), record("server", 100n, "/parent", trace));
    expect(out.map((r) => [r.target, r.traceId, r.parentSpanId])).toEqual([
      ["/parent", trace, ""],
      ["/child", trace, "00f067aa0ba902b7"],
    ]);
  });

  it("keeps each thread's calls under its own request when threads serve at once", () => {
    const { out, parents } = harness();
    parents.observe(served(7), Direction.Ingress, 11, 100n);
    parents.observe(served(8), Direction.Ingress, 12, 101n);
    parents.observe(calling(9), Direction.Egress, 12, 105n);
    parents.observe(calling(10), Direction.Egress, 11, 106n);
    parents.record(calling(9), record("client", 105n, "/child-of-b"));
    parents.record(calling(10), record("client", 106n, "/child-of-a"));
    parents.record(served(8), record("server", 101n, "/b"));
    parents.record(served(7), record("server", 100n, "/a"));
    const byTarget = new Map(out.map((r) => [r.target, r]));
    expect(byTarget.get("/child-of-a")?.parentSpanId).toBe(byTarget.get("/a")?.spanId);
    expect(byTarget.get("/child-of-b")?.parentSpanId).toBe(byTarget.get("/b")?.spanId);
    expect(byTarget.get("/a")?.traceId).not.toBe(byTarget.get("/b")?.traceId);
  });

  it("leaves a call that carries its own trace context as it is, at once", () => {
    const { out, parents } = harness();
    parents.observe(served(7), Direction.Ingress, 11, 100n);
    parents.observe(calling(9), Direction.Egress, 11, 110n);
    const traced = record("client", 110n, "/child", "11111111111111111111111111111111");
    parents.record(calling(9), traced);
    expect(out).toEqual([traced]);
    expect(traced.attributes).toEqual({});
  });
});

describe("ThreadParents refuses to guess", () => {
  it("never infers for a process's main thread, where event loops run, even one request at a time", () => {
    const { out, parents } = harness();
    parents.observe(served(7), Direction.Ingress, PID, 100n);
    parents.observe(calling(9), Direction.Egress, PID, 110n);
    parents.record(calling(9), record("client", 110n, "/timer-or-request"));
    expect(out.map((r) => [r.target, r.traceId])).toEqual([["/timer-or-request", ""]]);
    parents.record(served(7), record("server", 100n, "/a"));
    expect(out.at(-1)).toMatchObject({ target: "/a", traceId: "" });
    expect(parents.counters).toEqual({ inferred: 0, multiplexedThreads: 0, released: 0 });
  });

  it("never infers for a worker thread seen serving two requests at once (an event loop: Netty, Vert.x)", () => {
    const { out, parents } = harness();
    parents.observe(served(7), Direction.Ingress, 21, 100n);
    parents.observe(served(8), Direction.Ingress, 21, 105n);
    parents.observe(calling(9), Direction.Egress, 21, 110n);
    parents.record(calling(9), record("client", 110n, "/child"));
    expect(out.map((r) => [r.target, r.traceId])).toEqual([["/child", ""]]);
    // Later requests on the same thread, one at a time, are still not inferred for.
    parents.record(served(7), record("server", 100n, "/a"));
    parents.observe(served(7), Direction.Ingress, 21, 200n);
    parents.observe(calling(9), Direction.Egress, 21, 210n);
    parents.record(calling(9), record("client", 210n, "/later"));
    expect(out.at(-1)).toMatchObject({ target: "/later", traceId: "", parentSpanId: "" });
    expect(parents.counters.multiplexedThreads).toBe(1);
    expect(parents.counters.inferred).toBe(0);
  });

  it("gives no parent when another thread wrote the response (a goroutine moved)", () => {
    const { out, parents } = harness();
    parents.observe(served(7), Direction.Ingress, 11, 100n);
    parents.observe(calling(9), Direction.Egress, 11, 110n);
    parents.record(calling(9), record("client", 110n, "/child"));
    parents.observe(served(7), Direction.Egress, 13, 150n);
    parents.record(served(7), record("server", 100n, "/parent"));
    expect(out.map((r) => [r.target, r.traceId])).toEqual([
      ["/parent", ""],
      ["/child", ""],
    ]);
    expect(parents.counters).toEqual({ inferred: 0, multiplexedThreads: 0, released: 1 });
  });

  it("releases held calls, unparented and counted, when the request outlives the hold or its connection goes", () => {
    const { out, parents } = harness({ maxThreads: 16, maxHeldPerRequest: 1, holdTimeoutNs: 1_000n });
    parents.observe(served(7), Direction.Ingress, 11, 100n);
    parents.observe(calling(9), Direction.Egress, 11, 110n);
    parents.observe(calling(9), Direction.Egress, 11, 120n);
    parents.record(calling(9), record("client", 110n, "/first"));
    // Over maxHeldPerRequest: out at once.
    parents.record(calling(9), record("client", 120n, "/second"));
    expect(out.map((r) => r.target)).toEqual(["/second"]);
    parents.sweep(5_000n);
    expect(out.map((r) => r.target)).toEqual(["/second", "/first"]);
    parents.observe(served(8), Direction.Ingress, 12, 6_000n);
    parents.observe(calling(10), Direction.Egress, 12, 6_010n);
    parents.record(calling(10), record("client", 6_010n, "/third"));
    parents.forgetConnection(served(8).key);
    expect(out.map((r) => [r.target, r.parentSpanId])).toEqual([
      ["/second", ""],
      ["/first", ""],
      ["/third", ""],
    ]);
    expect(parents.counters.released).toBe(3);
  });
});
