// Trace by id over the embedded engine: a three-hop trace becomes a span tree.
import { PARENT_INFERRED_ATTRIBUTE } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CollectorUnderTest,
  call,
  startCollectorUnderTest,
} from "../../../../http/fixtures/running-collector.js";
import type { TraceSpan } from "../../../../query/trace-tree.js";

type Trace = { traceId: string; requestCount: number; truncated: boolean; spans: TraceSpan[] };

const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const oldTraceId = "00f067aa0ba902b700f067aa0ba902b7";
const loadgen = { service: "loadgen", ip: "10.3.0.9", port: 41000 };
const frontend = { service: "frontend", ip: "10.3.0.1", port: 3000 };
const orders = { service: "orders", ip: "10.3.0.2", port: 3001 };
const users = { service: "users", ip: "10.3.0.3", port: 3002 };
const ms = 1_000_000n;
const baseNs = BigInt(Date.now() - 60_000) * ms;

let t: CollectorUnderTest;

beforeAll(async () => {
  t = await startCollectorUnderTest();
  const frontendCall = {
    traceId,
    spanId: "a000000000000001",
    client: loadgen,
    server: frontend,
    target: "/checkout",
  };
  const ordersCall = {
    traceId,
    spanId: "b000000000000002",
    parentSpanId: "a000000000000001",
    client: { ...frontend, port: 52000 },
    server: orders,
    target: "/orders",
  };
  // No parent recorded: placed under the orders span by caller and timing.
  const usersCall = {
    traceId,
    spanId: "c000000000000003",
    client: { ...orders, port: 53000 },
    server: users,
  };
  const requests = [
    call({ side: "client", timeNs: baseNs, durationMs: 50, ...frontendCall }),
    call({ side: "server", timeNs: baseNs + 1n * ms, durationMs: 48, ...frontendCall }),
    call({ side: "client", timeNs: baseNs + 5n * ms, durationMs: 30, ...ordersCall }),
    call({ side: "client", timeNs: baseNs + 10n * ms, durationMs: 5, ...usersCall, target: "/users/1" }),
    call({
      side: "client",
      timeNs: baseNs + 20n * ms,
      durationMs: 5,
      ...usersCall,
      spanId: "c000000000000004",
      target: "/users/2",
    }),
    // Its parent read by the agent from the orders thread that made the call (thread-per-request).
    call({
      side: "client",
      timeNs: baseNs + 28n * ms,
      durationMs: 3,
      traceId,
      spanId: "d000000000000005",
      parentSpanId: "b000000000000002",
      client: { ...orders, port: 54000 },
      server: { service: "postgres", ip: "10.3.0.4", port: 5432 },
      target: "/db",
      attributes: { [PARENT_INFERRED_ATTRIBUTE]: "thread" },
    }),
    // The users service propagated nothing: its own row of the /users/2 call has no trace
    // context and is joined to the client's span by connection and time.
    call({
      side: "server",
      timeNs: baseNs + 20n * ms + 300_000n,
      durationMs: 4,
      client: { ...orders, port: 53000 },
      server: users,
      target: "/users/2",
    }),
    call({ side: "client", timeNs: baseNs, durationMs: 1, traceId: "ffffffffffffffffffffffffffffffff" }),
    // Three days old: outside any default window, found through the trace index.
    call({
      side: "client",
      timeNs: baseNs - 3n * 86_400_000n * ms,
      durationMs: 2,
      traceId: oldTraceId,
      target: "/old",
    }),
  ];
  expect(await t.ingest.send({ agentId: "node-a", requests })).toMatchObject({ ok: true });
});

afterAll(() => t?.close());

describe("GET /api/v1/trace/:traceId", () => {
  it("returns the trace's spans depth-first, both ends of a call as one span", async () => {
    const { status, body } = await t.get<Trace>(`/api/v1/trace/${traceId.toUpperCase()}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ traceId, requestCount: 6, truncated: false });
    expect(body.spans.map((s) => [s.depth, s.request.target, s.parentInferred, s.parentInferredBy])).toEqual([
      [0, "/checkout", false, ""],
      [1, "/orders", false, ""],
      [2, "/users/1", true, "timing"],
      [2, "/users/2", true, "timing"],
      [2, "/db", true, "thread"],
    ]);
    const root = body.spans[0];
    expect(root?.observations.map((o) => o.side)).toEqual(["client", "server"]);
    expect(root?.request.side).toBe("client");
    expect(root?.childSpanIds).toEqual(["b000000000000002"]);
    expect(body.spans[1]?.childSpanIds).toEqual(["c000000000000003", "c000000000000004", "d000000000000005"]);
    const users2 = body.spans.find((s) => s.spanId === "c000000000000004");
    expect(users2?.joinedBy).toBe("connection");
    expect(users2?.observations.map((o) => [o.side, o.durationMs])).toEqual([
      ["client", 5],
      ["server", 4],
    ]);
    // /users/1 had no server row on that connection at its time: its span stays the client's alone.
    expect(body.spans.find((s) => s.spanId === "c000000000000003")).toMatchObject({ joinedBy: "span" });
    expect(root?.joinedBy).toBe("span");
  });

  it("finds an old trace by id alone through the trace index", async () => {
    const { status, body } = await t.get<Trace>(`/api/v1/trace/${oldTraceId}`);
    expect(status).toBe(200);
    expect(body.spans.map((s) => s.request.target)).toEqual(["/old"]);
  });

  it("answers 404 outside the trace's time range and 400 for a malformed id", async () => {
    const earlier = await t.get<{ error: { code: string } }>(
      `/api/v1/trace/${traceId}?from=${Date.now() - 7_200_000}&to=${Date.now() - 3_600_000}`,
    );
    expect(earlier.status).toBe(404);
    const malformed = await t.get<{ error: { message: string } }>("/api/v1/trace/12345");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/traceId must match pattern/);
  });
});
