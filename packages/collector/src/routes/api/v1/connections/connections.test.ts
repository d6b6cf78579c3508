// TCP health end to end over the embedded engine: ConnectionStats in an
// Export batch over real gRPC, stored in `connections`, served by
// GET /api/v1/connections with its filters.
import { ConnectionStatsSchema, create, EndpointSchema, Side } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CollectorUnderTest,
  startCollectorUnderTest,
} from "../../../../http/fixtures/running-collector.js";

let t: CollectorUnderTest;
const endMs = Date.now() - 30_000;

function stats(overrides: Parameters<typeof create<typeof ConnectionStatsSchema>>[1]) {
  return create(ConnectionStatsSchema, {
    timeUnixNano: BigInt(endMs) * 1_000_000n,
    intervalNano: 10_000_000_000n,
    role: Side.CLIENT,
    state: "ESTABLISHED",
    ...overrides,
  });
}

beforeAll(async () => {
  t = await startCollectorUnderTest();
  const sent = await t.ingest.send({
    agentId: "host-1",
    batchSeq: 1n,
    requests: [],
    connections: [
      stats({
        local: create(EndpointSchema, { ip: "10.213.7.1", port: 40_123, pid: 4242, processName: "node" }),
        remote: create(EndpointSchema, { ip: "10.213.7.2", port: 9555 }),
        bytesSent: 524_289n,
        retransmits: 12,
        srttUs: 310,
        connectDurationNano: 2_500_000n,
        connectionId: 7n,
        opened: true,
      }),
      stats({
        local: create(EndpointSchema, { ip: "127.0.0.1", pid: 4243, processName: "curl" }),
        remote: create(EndpointSchema, { ip: "127.0.0.1", port: 1 }),
        resetsReceived: 1,
        connectFailed: true,
        state: "CLOSE",
        connectionId: 8n,
      }),
      stats({
        local: create(EndpointSchema, { ip: "127.0.0.1", port: 5000, pid: 10, processName: "nginx" }),
        remote: create(EndpointSchema, { ip: "127.0.0.1", port: 41_000 }),
        role: Side.SERVER,
        bytesReceived: 300n,
        connectionId: 9n,
      }),
    ],
  });
  expect(sent.ok).toBe(true);
}, 60_000);

afterAll(() => t?.close());

function connections(query: string) {
  return t.get<{ connections: Record<string, unknown>[] }>(`/api/v1/connections${query}`);
}

describe("GET /api/v1/connections", () => {
  it("returns every stored interval with its figures and both endpoints", async () => {
    const { status, body } = await connections("");
    expect(status).toBe(200);
    expect(body.connections).toHaveLength(3);
    expect(body.connections.find((c) => c.connectionId === "7")).toEqual({
      time: endMs,
      agentId: "host-1",
      connectionId: "7",
      intervalMs: 10_000,
      role: "client",
      pid: 4242,
      process: "node",
      local: { ip: "10.213.7.1", port: 40_123 },
      remote: { ip: "10.213.7.2", port: 9555 },
      bytesSent: 524_289,
      bytesReceived: 0,
      retransmits: 12,
      resetsSent: 0,
      resetsReceived: 0,
      stateChanges: 0,
      connectFailed: false,
      connectMs: 2.5,
      srttUs: 310,
      state: "ESTABLISHED",
      opened: true,
      closed: false,
    });
  });

  it("narrows to intervals with trouble, to a process, or to a remote address", async () => {
    const problems = await connections("?problems=true");
    expect(problems.body.connections.map((c) => c.connectionId).sort()).toEqual(["7", "8"]);
    const curl = await connections("?process=curl");
    expect(curl.body.connections.map((c) => [c.connectionId, c.connectFailed, c.resetsReceived])).toEqual([
      ["8", true, 1],
    ]);
    const remote = await connections("?remote_ip=10.213.7.2");
    expect(remote.body.connections.map((c) => c.connectionId)).toEqual(["7"]);
  });

  it("honours the time range and refuses a bad limit", async () => {
    const before = await connections(`?from=${endMs - 120_000}&to=${endMs - 60_000}`);
    expect(before.body.connections).toEqual([]);
    expect((await connections("?limit=0")).status).toBe(400);
  });
});
