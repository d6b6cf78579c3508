// A frozen incident link after retention: the requests and metric roll-ups of
// its range are gone (truncated here, as a TTL or the disk guard would drop
// them), and the link still shows its requests and its map as they were.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { edgeAndEndpointSeries } from "../../../../fixtures/metric-series.js";
import {
  type CollectorUnderTest,
  call,
  startCollectorUnderTest,
} from "../../../../http/fixtures/running-collector.js";
import type { ServiceMap } from "../../../../query/service-map-query.js";
import type { SharedLink } from "../../../../query/shared-links-query.js";
import { openStorage } from "../../../../storage/storage.js";

const dataDir = mkdtempSync(join(tmpdir(), "periscope-links-retention-"));
const nowMs = Date.now();
const from = new Date(nowMs - 600_000).toISOString();
const to = new Date(nowMs + 1000).toISOString();
let t: CollectorUnderTest | undefined;
let linkId: string;

/** What retention removes: every table of requests, connections and metric series. */
async function dropRetainedData(): Promise<void> {
  const storage = openStorage({ kind: "embedded", dataDir });
  try {
    const tables = await storage.select<{ name: string }>(
      `SELECT name FROM system.tables
       WHERE database = currentDatabase() AND engine LIKE '%MergeTree'
         AND match(name, '^(requests|connections|trace_index|metric_)')`,
    );
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(["requests", "metric_edges_1m"]),
    );
    for (const { name } of tables) await storage.command(`TRUNCATE TABLE ${name}`);
  } finally {
    await storage.close();
  }
}

beforeAll(async () => {
  t = await startCollectorUnderTest({ dataDir });
  const requests = [1, 2, 3, 4].map((i) =>
    call({
      side: "client",
      timeNs: BigInt(nowMs - 120_000 + i) * 1_000_000n,
      client: { service: "checkout", ip: "10.9.0.1", port: 41000 + i },
      server: { service: "payments", ip: "10.9.0.2", port: 443 },
      target: `/charge/${i}`,
      status: i === 4 ? 502 : 200,
      error: i === 4,
    }),
  );
  // The map reads the metric series the agent folded from the same four calls.
  const metrics = edgeAndEndpointSeries({
    side: "client",
    startMs: nowMs - 120_000,
    client: { service: "checkout", ip: "10.9.0.1", port: 41000 },
    server: { service: "payments", ip: "10.9.0.2", port: 443 },
    durationsMs: [5, 6, 7, 40],
    errors: 1,
  });
  expect(await t.ingest.send({ agentId: "node-r", requests, metrics })).toMatchObject({ ok: true });
  const created = await t.send<SharedLink>("POST", "/api/v1/links", {
    title: "payments 502",
    notes: "card processor timed out; see the 502 at the top",
    from,
    to,
    view: { path: "/", search: "range=abs" },
    freeze: { service: "payments" },
  });
  expect(created.status).toBe(201);
  linkId = created.body.id;
  await t.close();
  t = undefined;
  await dropRetainedData();
  t = await startCollectorUnderTest({ dataDir });
});

afterAll(async () => {
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it("shows the frozen requests and map once the originals are gone", async () => {
  const live = await (t as CollectorUnderTest).get<ServiceMap>(`/api/v1/map?from=${from}&to=${to}`);
  expect(live.body.edges).toEqual([]);

  const { status, body } = await (t as CollectorUnderTest).get<SharedLink>(`/api/v1/links/${linkId}`);
  expect(status).toBe(200);
  expect(body).toMatchObject({
    title: "payments 502",
    notes: "card processor timed out; see the 502 at the top",
    frozen: true,
  });
  expect(body.frozenRequests?.map((request) => request.target).sort()).toEqual([
    "/charge/1",
    "/charge/2",
    "/charge/3",
    "/charge/4",
  ]);
  expect(body.frozenMap?.edges).toEqual([
    expect.objectContaining({ source: "checkout", target: "payments", requestCount: 4, errorCount: 1 }),
  ]);
});

it("shows requests frozen before ends carried a container id (migration 0032) as outside containers", async () => {
  await (t as CollectorUnderTest).close();
  t = undefined;
  const storage = openStorage({ kind: "embedded", dataDir });
  try {
    // What a link frozen by an older collector holds: ends without containerId.
    await storage.command(
      `ALTER TABLE shared_links UPDATE frozen_rows = replaceAll(frozen_rows, '"containerId":"",', '')
       WHERE id = {id:String} SETTINGS mutations_sync = 1`,
      { id: linkId },
    );
    const [stored] = await storage.select<{ frozen_rows: string }>(
      "SELECT frozen_rows FROM shared_links WHERE id = {id:String}",
      { id: linkId },
    );
    expect(stored?.frozen_rows).not.toContain("containerId");
  } finally {
    await storage.close();
  }
  t = await startCollectorUnderTest({ dataDir });
  const { status, body } = await t.get<SharedLink>(`/api/v1/links/${linkId}`);
  expect(status).toBe(200);
  expect(body.frozenRequests?.map((r) => [r.client.containerId, r.server.containerId])).toEqual(
    Array.from({ length: 4 }, () => ["", ""]),
  );
});
