// An Export batch's TCP health records land in the `connections` table of
// the embedded engine, next to the batch's requests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectionStatsSchema, create, EndpointSchema, ExportRequestSchema, Side } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestRecord } from "../fixtures/ingest-client.js";
import { applyMigrations, loadMigrations } from "../storage/migrations.js";
import { openStorage, type Storage } from "../storage/storage.js";
import { ExportBatchHandler } from "./export-batch-handler.js";
import { IngestStats } from "./ingest-stats.js";

let dataDir: string;
let storage: Storage;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "periscope-connections-"));
  storage = openStorage({ kind: "embedded", dataDir });
  await applyMigrations(storage, await loadMigrations({ retentionDays: 7 }));
}, 60_000);

afterAll(async () => {
  await storage?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("connections ingest", () => {
  it("stores each ConnectionStats of a batch as a row of the connections table", async () => {
    const endNanos = BigInt(Date.now() - 1000) * 1_000_000n;
    const handler = new ExportBatchHandler(storage, new IngestStats(), 4);
    const outcome = await handler.handle(
      create(ExportRequestSchema, {
        agentId: "host-1",
        batchSeq: 1n,
        requests: [
          requestRecord({
            side: "client",
            startMs: Date.now() - 2000,
            durationMs: 1,
            client: { ip: "10.0.0.1", port: 1000 },
            server: { ip: "10.0.0.2", port: 80 },
          }),
        ],
        connections: [
          create(ConnectionStatsSchema, {
            timeUnixNano: endNanos,
            intervalNano: 10_000_000_000n,
            role: Side.CLIENT,
            local: create(EndpointSchema, { ip: "10.213.7.1", port: 40_123, pid: 4242, processName: "curl" }),
            remote: create(EndpointSchema, { ip: "10.213.7.2", port: 9555 }),
            bytesSent: 524_289n,
            bytesReceived: 7n,
            retransmits: 12,
            stateChanges: 4,
            connectDurationNano: 81_000n,
            srttUs: 310,
            state: "CLOSE",
            opened: true,
            closed: true,
            connectionId: 0xffff_8880_1234_5678n,
          }),
          create(ConnectionStatsSchema, {
            timeUnixNano: endNanos,
            intervalNano: 10_000_000_000n,
            role: Side.CLIENT,
            local: create(EndpointSchema, { ip: "127.0.0.1", pid: 4243, processName: "curl" }),
            remote: create(EndpointSchema, { ip: "127.0.0.1", port: 1 }),
            resetsReceived: 1,
            connectFailed: true,
            state: "CLOSE",
            connectionId: 2n,
          }),
        ],
      }),
    );
    expect(outcome).toEqual({ kind: "stored", accepted: 1 });
    const rows = await storage.select<Record<string, unknown>>(
      "SELECT agent_id, toString(connection_id) AS id, role, pid, process, local_ip, local_port, remote_ip, remote_port," +
        " toString(bytes_sent) AS sent, retransmits, resets_received, connect_failed, toString(connect_duration_ns) AS connect_ns," +
        " srtt_us, state, opened, closed, toUnixTimestamp64Nano(time) = {end:Int64} AS time_ok" +
        " FROM connections ORDER BY pid",
      { end: endNanos.toString() },
    );
    expect(rows).toEqual([
      {
        agent_id: "host-1",
        id: 0xffff_8880_1234_5678n.toString(),
        role: "client",
        pid: 4242,
        process: "curl",
        local_ip: "10.213.7.1",
        local_port: 40_123,
        remote_ip: "10.213.7.2",
        remote_port: 9555,
        sent: "524289",
        retransmits: 12,
        resets_received: 0,
        connect_failed: false,
        connect_ns: "81000",
        srtt_us: 310,
        state: "CLOSE",
        opened: true,
        closed: true,
        time_ok: 1,
      },
      expect.objectContaining({ pid: 4243, remote_port: 1, resets_received: 1, connect_failed: true }),
    ]);
  }, 60_000);

  it("rejects a batch whose connection carries a garbage clock, naming it", async () => {
    const handler = new ExportBatchHandler(storage, new IngestStats(), 4);
    const outcome = await handler.handle(
      create(ExportRequestSchema, {
        agentId: "host-1",
        batchSeq: 2n,
        connections: [create(ConnectionStatsSchema, { timeUnixNano: 5n, state: "ESTABLISHED" })],
      }),
    );
    expect(outcome).toMatchObject({ kind: "invalid", reason: expect.stringContaining("connections[0]") });
  });
});
