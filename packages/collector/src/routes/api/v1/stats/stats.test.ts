// GET /api/v1/stats shows every ingest counter and the insert queue's depth,
// through a real collector: nothing the ingest path counts is stripped.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricSeries } from "../../../../fixtures/metric-series.js";
import {
  type CollectorUnderTest,
  call,
  startCollectorUnderTest,
} from "../../../../http/fixtures/running-collector.js";
import { type IngestCounters, IngestStats } from "../../../../ingest/ingest-stats.js";

interface StatsBody {
  ingest: IngestCounters;
  seriesRejectedBy: Record<string, number>;
  queue: { batches: number; rows: number; bytes: number; storageDown: boolean };
  storage: {
    insertsByTable: Record<string, { statements: number; rows: number }>;
    engine: { insertQueries: number; partsWritten: number; merges: number; mergeMilliseconds: number };
    lastMinute: { seconds: number; insertsPerSecond: number; rowsPerInsert: number } | null;
  };
  agents: { agentId: string }[];
}

const nowNs = BigInt(Date.now()) * 1_000_000n;
const records = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    call({ side: "client", timeNs: nowNs + BigInt(i), target: `/s/${i}` }),
  );

let t: CollectorUnderTest;

beforeAll(async () => {
  // A queue bound of 5 rows: a 6-record batch is refused as "buffer full".
  t = await startCollectorUnderTest({ ingestBufferRows: 5 });
  expect(await t.ingest.send({ agentId: "node-a", batchSeq: 1n, requests: records(3) })).toMatchObject({
    ok: true,
  });
  expect(await t.ingest.send({ agentId: "node-a", batchSeq: 1n, requests: records(3) })).toMatchObject({
    ok: true,
    response: { duplicate: true },
  });
  expect(await t.ingest.send({ agentId: "node-a", batchSeq: 2n, requests: records(6) })).toMatchObject({
    ok: false,
  });
  // One good metric series and one with a protocol nobody parses: the good one is stored.
  const series = metricSeries({
    kind: "edge",
    side: "server",
    startMs: Date.now() - 5_000,
    durationsMs: [1],
    client: { ip: "10.0.0.1", port: 5000 },
    server: { service: "api", ip: "10.0.0.2", port: 80 },
  });
  expect(
    await t.ingest.send({
      agentId: "node-a",
      batchSeq: 3n,
      requests: [],
      metrics: [series, { ...series, protocol: "gopher" }],
    }),
  ).toMatchObject({
    ok: true,
    response: { seriesAccepted: 1, seriesRejected: 1, rejectedReason: expect.stringContaining("gopher") },
  });
});

afterAll(() => t?.close());

describe("GET /api/v1/stats", () => {
  it("lists every counter the ingest path keeps, with its value", async () => {
    const { status, body } = await t.get<StatsBody>("/api/v1/stats");
    expect(status).toBe(200);
    expect(Object.keys(body.ingest).sort()).toEqual(Object.keys(new IngestStats().counters).sort());
    expect(body.ingest).toMatchObject({
      batchesStored: 2,
      recordsStored: 3,
      seriesStored: 1,
      seriesRejected: 1,
      batchesDuplicate: 1,
      batchesRefusedBusy: 1,
      batchesRefusedBufferFull: 1,
      batchesBuffered: 0,
      recordsDroppedAfterAccept: 0,
      // requests and metric_series once each, and each batch's ingested_batches row.
      insertStatements: 4,
      insertRows: 6,
      insertRetries: 0,
    });
    expect(body.seriesRejectedBy).toMatchObject({ unknown_protocol: 1, histogram_total: 0 });
    expect(body.agents.map((agent) => agent.agentId)).toEqual(["node-a"]);
  });

  it("shows CPU profile rows accepted and rejected by every reason, here and on /metrics", async () => {
    const { body } = await t.get<{ profiles: { rejected: number; rejectedBy: Record<string, number> } }>(
      "/api/v1/stats",
    );
    expect(body.profiles).toMatchObject({ stacksAccepted: 0, samplesAccepted: 0, rejected: 0 });
    expect(Object.keys(body.profiles.rejectedBy).sort()).toEqual(
      Object.keys(new IngestStats().profiles.rejectedBy).sort(),
    );
    const metrics = await (await fetch(`${t.collector.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /periscope_ingest_profile_rows_total\{outcome="rejected",reason="unknown_stack"\} 0/,
    );
  });

  it("shows the insert queue's depth and whether storage is down", async () => {
    const { body } = await t.get<StatsBody>("/api/v1/stats");
    expect(body.queue).toEqual({ batches: 0, rows: 0, bytes: 0, storageDown: false });
  });

  it("shows inserts per table, the engine's parts and merges, and their rates", async () => {
    const { body } = await t.get<StatsBody>("/api/v1/stats");
    expect(body.storage.insertsByTable).toEqual({
      requests: { statements: 1, rows: 3 },
      metric_series: { statements: 1, rows: 1 },
      ingested_batches: { statements: 2, rows: 2 },
    });
    // requests, its two views' targets, and the three minute and three hour roll-ups at least.
    expect(body.storage.engine.insertQueries).toBeGreaterThanOrEqual(2);
    expect(body.storage.engine.partsWritten).toBeGreaterThanOrEqual(9);
    expect(body.storage.engine.merges).toBeGreaterThanOrEqual(0);
    expect(body.storage.lastMinute?.seconds).toBeGreaterThan(0);
    expect(body.storage.lastMinute?.rowsPerInsert).toBe(1.5);
  });

  it("documents every counter in the OpenAPI document", async () => {
    type ObjectSchema = { properties: Record<string, ObjectSchema> };
    const { body } = await t.get<{
      paths: Record<
        string,
        { get: { responses: Record<string, { content: Record<string, { schema: ObjectSchema }> }> } }
      >;
    }>("/api/v1/openapi.json");
    const schema = body.paths["/api/v1/stats"]?.get.responses["200"]?.content["application/json"]?.schema;
    if (schema === undefined) throw new Error("GET /api/v1/stats has no documented 200 schema");
    expect(Object.keys(schema.properties.ingest?.properties ?? {}).sort()).toEqual(
      Object.keys(new IngestStats().counters).sort(),
    );
    expect(Object.keys(schema.properties.queue?.properties ?? {})).toEqual([
      "batches",
      "rows",
      "bytes",
      "storageDown",
    ]);
  });
});
