// A storage outage on the server backend (PERISCOPE_STORAGE_URL), against the
// HTTP stand-in: batches arriving while it is down are held by the collector,
// unanswered until stored (the agent keeps them meanwhile, so a crash loses
// nothing), and stored once it is back — none lost, none twice — and what does
// not fit the bound is refused so the agent keeps it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCollector, startCollector } from "../collector.js";
import { requestRecord, TestIngestClient } from "../fixtures/ingest-client.js";
import {
  type ClickHouseHttpStandIn,
  startClickHouseHttpStandIn,
} from "./fixtures/clickhouse-http-stand-in.js";

let standInDir: string;
let standIn: ClickHouseHttpStandIn;
let collector: RunningCollector;
let ingest: TestIngestClient;
const base = Date.now() - 60_000;

const records = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    requestRecord({
      side: "client",
      startMs: base + i,
      durationMs: 1,
      client: { service: "web", ip: "10.0.0.1", port: 40000 },
      server: { service: "api", ip: "10.0.0.2", port: 80 },
      target: `/${prefix}/${i}`,
    }),
  );

async function storedTargets(): Promise<string[]> {
  const response = await fetch(
    `${collector.httpUrl}/api/v1/requests?service=api&limit=1000&observations=all`,
  );
  const body = (await response.json()) as { requests: { target: string }[] };
  return body.requests.map((request) => request.target).sort();
}

beforeAll(async () => {
  standInDir = mkdtempSync(join(tmpdir(), "periscope-outage-"));
  standIn = await startClickHouseHttpStandIn(standInDir);
  collector = await startCollector({
    storageUrl: standIn.url,
    dataDir: join(standInDir, "unused"),
    httpPort: 0,
    grpcAddress: "127.0.0.1:0",
    // Small enough to overflow in a test: 6 + 6 rows fit, 6 more do not (each
    // batch also carries its ingested_batches row: batch-sequence-store.ts).
    ingestBufferRows: 14,
  });
  ingest = new TestIngestClient(collector.grpcAddress);
});

afterAll(async () => {
  ingest?.close();
  await collector?.close();
  await standIn?.close();
  rmSync(standInDir, { recursive: true, force: true });
});

describe("storage outage", () => {
  it("holds batches unanswered while storage is down and stores each exactly once when it returns", async () => {
    expect(
      await ingest.send({ agentId: "node-a", batchSeq: 1n, requests: records("before", 3) }),
    ).toMatchObject({
      ok: true,
      response: { accepted: 3 },
    });

    await standIn.stop();
    const queueDepth = async () => {
      const text = await (await fetch(`${collector.httpUrl}/metrics`)).text();
      return /^periscope_ingest_queue_depth\{unit="batches"\} (\d+)$/m.exec(text)?.[1];
    };
    let answered = 0;
    const counted = <T>(call: Promise<T>) => call.finally(() => answered++);
    const during1 = counted(
      ingest.send({ agentId: "node-a", batchSeq: 2n, requests: records("during-a", 6) }),
    );
    const during2 = counted(
      ingest.send({ agentId: "node-b", batchSeq: 1n, requests: records("during-b", 6) }),
    );
    const holding = async () => {
      const body = (await (await fetch(`${collector.httpUrl}/api/v1/stats`)).json()) as {
        queue: { batches: number; storageDown: boolean };
      };
      return body.queue.storageDown && body.queue.batches === 2;
    };
    while (!(await holding())) await new Promise((resolve) => setTimeout(resolve, 50));
    // The agent's retry of a held batch waits with it and is not held twice.
    const retry = counted(ingest.send({ agentId: "node-b", batchSeq: 1n, requests: records("during-b", 6) }));
    // Beyond the buffer's bound the batch is refused at once, so its agent keeps it.
    const overflow = await ingest.send({ agentId: "node-c", batchSeq: 1n, requests: records("overflow", 6) });
    expect(overflow.ok).toBe(false);
    if (!overflow.ok) {
      expect(overflow.error.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(overflow.error.details).toMatch(/storage is unavailable and the collector's buffer is full/);
    }
    const health = await fetch(`${collector.httpUrl}/api/v1/health`);
    expect(health.status).toBe(503);
    // Held only in the collector's memory: nothing is acknowledged yet.
    expect(answered).toBe(0);

    await standIn.start();
    expect(await during1).toMatchObject({ ok: true, response: { accepted: 6, duplicate: false } });
    expect(await during2).toMatchObject({ ok: true, response: { accepted: 6, duplicate: false } });
    expect(await retry).toMatchObject({ ok: true, response: { duplicate: true } });
    const expected = [...records("before", 3), ...records("during-a", 6), ...records("during-b", 6)].map(
      (record) => record.target,
    );
    // Delivery is retried with backoff; wait for it rather than for a fixed time.
    let seen: string[] = [];
    while (seen.length < expected.length) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await storedTargets().catch(() => []);
    }
    expect(seen).toEqual(expected.sort());
    // Each batch's last row (ingested_batches) follows its records: wait until none is held.
    while ((await queueDepth()) !== "0") await new Promise((resolve) => setTimeout(resolve, 50));

    // The refused batch, retried by its agent now, is stored too.
    expect(
      await ingest.send({ agentId: "node-c", batchSeq: 1n, requests: records("overflow", 6) }),
    ).toMatchObject({
      ok: true,
      response: { accepted: 6 },
    });
    expect((await storedTargets()).filter((target) => target.startsWith("/overflow/"))).toHaveLength(6);

    const stats = (await (await fetch(`${collector.httpUrl}/api/v1/stats`)).json()) as {
      ingest: { batchesStored: number; batchesRefusedBusy: number; batchesDuplicate: number };
    };
    expect(stats.ingest).toMatchObject({ batchesStored: 4, batchesRefusedBusy: 1, batchesDuplicate: 1 });
  }, 60_000);
});
