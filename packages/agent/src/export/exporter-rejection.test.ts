// A batch refused for its content is not retried for ever (issue #14): its TCP
// health records go first, then the batch, each counted and logged once.
import { status } from "@grpc/grpc-js";
import { AgentInfoSchema, ConnectionStatsSchema, create, RequestRecordSchema } from "@periscope/proto";
import { afterEach, describe, expect, it } from "vitest";
import { until } from "../testing/collector-process.js";
import { startFakeCollector } from "../testing/fake-collector.js";
import { Exporter } from "./exporter.js";

const record = (target: string) =>
  create(RequestRecordSchema, { protocol: "http", operation: "GET", target });
const connection = (bytesSent: bigint) => create(ConnectionStatsSchema, { bytesSent });
const agentInfo = () => create(AgentInfoSchema, { hostname: "test-host" });

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setUp() {
  const collector = await startFakeCollector();
  cleanups.push(collector.stop);
  const logged: string[] = [];
  const exporter = new Exporter({
    address: collector.address,
    agentId: "a",
    agentInfo,
    maxBatchRecords: 2,
    retryInitialMs: 10,
    retryMaxMs: 20,
    log: (line) => logged.push(line),
  });
  cleanups.push(() => exporter.close(100));
  return { collector, exporter, logged };
}

describe("Exporter: batches refused for their content", () => {
  it("sends a refused batch again without its TCP health records, counted, and stores the rest", async () => {
    const { collector, exporter, logged } = await setUp();
    collector.refuse((request) =>
      request.connections.length > 0
        ? { code: status.INVALID_ARGUMENT, details: "bad connection" }
        : undefined,
    );
    exporter.addConnections([connection(1n), connection(2n)]);
    exporter.flush();
    exporter.add(record("/ok"));
    exporter.flush();
    await until(() => (exporter.pendingBatches === 0 && collector.received.length === 2 ? true : undefined));
    expect(collector.received.every((batch) => batch.connections.length === 0)).toBe(true);
    expect(exporter.counters).toMatchObject({ connectionStatsDropped: 2, batchesRejected: 0, retries: 0 });
    expect(logged).toEqual([
      expect.stringMatching(/refused \(collector refused it: bad connection\).*2 TCP health/),
    ]);
  });

  it("drops a batch refused again, counts its records, and goes on with the next", async () => {
    const { collector, exporter, logged } = await setUp();
    collector.refuse((request) =>
      request.requests.some((r) => r.target === "/bad")
        ? { code: status.INTERNAL, details: "Error deserializing request: premature EOF" }
        : undefined,
    );
    exporter.add(record("/bad"));
    exporter.add(record("/bad-too"));
    exporter.add(record("/good"));
    exporter.flush();
    await until(() => (exporter.pendingBatches === 0 ? true : undefined));
    expect(collector.received.map((batch) => batch.requests.map((r) => r.target))).toEqual([["/good"]]);
    expect(exporter.counters).toMatchObject({
      batchesRejected: 1,
      batchesDropped: 1,
      recordsDropped: 2,
      batchesSent: 1,
      retries: 0,
    });
    expect(logged).toEqual([
      expect.stringMatching(/dropped \(collector could not decode it: .*\): 2 records/),
    ]);
  });

  it("does not send a batch that cannot be encoded (a negative uint64), sending the rest", async () => {
    const { collector, exporter, logged } = await setUp();
    exporter.add(record("/kept"));
    exporter.addConnections([connection(-88n)]);
    exporter.flush();
    await until(() => (exporter.pendingBatches === 0 ? true : undefined));
    expect(collector.received.map((batch) => [batch.requests.length, batch.connections.length])).toEqual([
      [1, 0],
    ]);
    expect(exporter.counters).toMatchObject({
      connectionStatsDropped: 1,
      batchesRejected: 0,
      recordsSent: 1,
    });
    expect(logged).toEqual([expect.stringMatching(/could not be encoded/)]);
  });

  it("still retries what may succeed later (UNAVAILABLE), and says what it holds", async () => {
    const { collector, exporter } = await setUp();
    collector.failNext(3);
    exporter.add(record("/later"));
    exporter.flush();
    const backlog = exporter.backlog();
    expect(backlog).toMatchObject({ pendingBatches: 1, inFlightBatches: 1, spoolBatches: 0 });
    await until(() => (exporter.pendingBatches === 0 ? true : undefined));
    expect(exporter.counters).toMatchObject({ retries: 3, batchesSent: 1, batchesRejected: 0 });
    expect(exporter.backlog()).toMatchObject({ pendingBatches: 0, oldestPendingAgeMs: 0 });
  });
});
