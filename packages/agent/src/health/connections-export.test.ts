// TCP health records reach the collector in the same Export batches as requests.
import { AgentInfoSchema, ConnectionStatsSchema, create, RequestRecordSchema } from "@periscope/proto";
import { describe, expect, it } from "vitest";
import { Exporter } from "../export/exporter.js";
import { startFakeCollector } from "../testing/fake-collector.js";

describe("Exporter with connections", () => {
  it("ships connection stats in ExportRequest.connections alongside requests", async () => {
    const collector = await startFakeCollector();
    try {
      const exporter = new Exporter({
        address: collector.address,
        agentId: "node-a",
        agentInfo: () => create(AgentInfoSchema, { hostname: "h" }),
        maxBatchRecords: 3,
      });
      exporter.add(create(RequestRecordSchema, { protocol: "http", target: "/a" }));
      exporter.addConnections([
        create(ConnectionStatsSchema, { retransmits: 4, state: "ESTABLISHED" }),
        create(ConnectionStatsSchema, { resetsReceived: 1, connectFailed: true, state: "CLOSE" }),
      ]);
      exporter.addConnections([create(ConnectionStatsSchema, { bytesSent: 10n })]);
      await exporter.close();
      expect(collector.received.map((b) => [b.requests.length, b.connections.map((c) => c.state)])).toEqual([
        [1, ["ESTABLISHED", "CLOSE"]],
        [0, [""]],
      ]);
      expect(collector.received[0]?.connections[0]?.retransmits).toBe(4);
      expect(exporter.counters.connectionStatsDropped).toBe(0);
    } finally {
      await collector.stop();
    }
  });

  it("splits one interval's many connections into batches of at most maxBatchRecords", async () => {
    const collector = await startFakeCollector();
    try {
      const exporter = new Exporter({
        address: collector.address,
        agentId: "node-a",
        agentInfo: () => create(AgentInfoSchema, { hostname: "h" }),
        maxBatchRecords: 100,
      });
      exporter.addConnections(
        Array.from({ length: 250 }, (_, i) => create(ConnectionStatsSchema, { retransmits: i })),
      );
      await exporter.close();
      expect(collector.received.map((b) => b.connections.length)).toEqual([100, 100, 50]);
      expect(collector.received.flatMap((b) => b.connections.map((c) => c.retransmits))).toEqual(
        Array.from({ length: 250 }, (_, i) => i),
      );
    } finally {
      await collector.stop();
    }
  });
});
