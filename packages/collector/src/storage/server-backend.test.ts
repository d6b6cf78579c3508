// The server backend (PERISCOPE_STORAGE_URL) runs the same migrations, ingest
// and queries as the embedded one; only the connection differs. No ClickHouse
// server can be installed on these machines, so it talks HTTP to a stand-in
// that executes on the embedded engine (see fixtures/clickhouse-http-stand-in.ts).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCollector, startCollector } from "../collector.js";
import { requestRecord, TestIngestClient } from "../fixtures/ingest-client.js";
import { metricSeries } from "../fixtures/metric-series.js";
import type { RequestView } from "../query/requests-query.js";
import type { ServiceMap } from "../query/service-map-query.js";
import {
  type ClickHouseHttpStandIn,
  startClickHouseHttpStandIn,
} from "./fixtures/clickhouse-http-stand-in.js";

let standInDir: string;
let unusedEmbeddedDir: string;
let standIn: ClickHouseHttpStandIn;
let collector: RunningCollector;
let ingest: TestIngestClient;
const base = Date.now() - 30_000;

beforeAll(async () => {
  standInDir = mkdtempSync(join(tmpdir(), "periscope-standin-"));
  unusedEmbeddedDir = join(mkdtempSync(join(tmpdir(), "periscope-unused-")), "data");
  standIn = await startClickHouseHttpStandIn(standInDir);
  collector = await startCollector({
    storageUrl: standIn.url,
    dataDir: unusedEmbeddedDir,
    httpPort: 0,
    grpcAddress: "127.0.0.1:0",
  });
  ingest = new TestIngestClient(collector.grpcAddress);
});

afterAll(async () => {
  ingest?.close();
  await collector?.close();
  await standIn?.close();
  rmSync(standInDir, { recursive: true, force: true });
  rmSync(join(unusedEmbeddedDir, ".."), { recursive: true, force: true });
});

describe("server backend over HTTP", () => {
  it("migrates, stores a batch and serves it back through the API", async () => {
    const web = { service: "web", ip: "10.1.0.1", port: 41000 };
    const api = { service: "api", ip: "10.1.0.2", port: 9000 };
    const result = await ingest.send({
      agentId: "node-a",
      batchSeq: 1n,
      requests: [
        requestRecord({
          side: "client",
          startMs: base,
          durationMs: 2,
          client: web,
          server: api,
          target: "/it's",
        }),
        requestRecord({
          side: "server",
          startMs: base,
          durationMs: 50,
          client: web,
          server: api,
          target: "/it's",
        }),
      ],
      metrics: [
        metricSeries({
          kind: "edge",
          side: "client",
          startMs: base,
          durationsMs: [2],
          client: web,
          server: api,
        }),
        metricSeries({
          kind: "edge",
          side: "server",
          startMs: base,
          durationsMs: [50],
          client: web,
          server: api,
        }),
      ],
    });
    expect(result).toMatchObject({
      ok: true,
      response: { accepted: 2, seriesAccepted: 2, seriesRejected: 0 },
    });

    const map = (await (await fetch(`${collector.httpUrl}/api/v1/map?protocol=http`)).json()) as ServiceMap;
    expect(map.edges).toEqual([
      {
        id: "web->api",
        source: "web",
        target: "api",
        protocols: ["http"],
        requestCount: 1,
        errorCount: 0,
        p50Ms: expect.closeTo(2, 1),
        p90Ms: expect.closeTo(2, 1),
        p99Ms: expect.closeTo(2, 1),
        meanMs: 2,
        observedFrom: "client",
      },
    ]);

    const requests = (await (
      await fetch(`${collector.httpUrl}/api/v1/requests?service=api&limit=10&observations=all`)
    ).json()) as { requests: RequestView[] };
    // Both rows share a start time, so their relative order is unspecified.
    const seen = requests.requests.map((r) => `${r.side} ${r.target} ${r.timeUnixNano}`).sort();
    const nanos = (BigInt(base) * 1_000_000n).toString();
    expect(seen).toEqual([`client /it's ${nanos}`, `server /it's ${nanos}`]);

    expect((await fetch(`${collector.httpUrl}/api/v1/health`)).status).toBe(200);
    // Everything went over HTTP: the collector never opened an embedded engine.
    expect(standIn.requestsServed()).toBeGreaterThan(3);
    expect(existsSync(unusedEmbeddedDir)).toBe(false);
  });
});
