// A restarted collector still lists the agents it heard from before.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startCollector } from "../collector.js";
import { TestIngestClient } from "../fixtures/ingest-client.js";

const dataDir = mkdtempSync(join(tmpdir(), "periscope-agents-"));
const options = { dataDir, storageUrl: "", httpHost: "127.0.0.1", httpPort: 0, grpcAddress: "127.0.0.1:0" };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("agents across a collector restart", () => {
  it("lists an agent seen before the restart, with its versions and drop counters", async () => {
    const first = await startCollector(options);
    const ingest = new TestIngestClient(first.grpcAddress);
    expect(await ingest.send({ agentId: "node-before", requests: [] })).toMatchObject({ ok: true });
    ingest.close();
    await first.close();

    const second = await startCollector(options);
    try {
      const response = await fetch(`${second.httpUrl}/api/v1/agents`);
      const body = (await response.json()) as { agents: Record<string, unknown>[] };
      expect(body.agents).toHaveLength(1);
      expect(body.agents[0]).toMatchObject({
        agentId: "node-before",
        hostname: "test-host",
        version: "test",
      });
      expect(body.agents[0]?.drops).toMatchObject({ ringbufFull: "0" });
    } finally {
      await second.close();
    }
  });
});
