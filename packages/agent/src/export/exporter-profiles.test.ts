// Profiling intervals travel with the export batches like metric series: in
// the next batch (sealed within the flush interval when nothing else comes),
// bounded while the collector is away, through the disk spool, and counted
// when lost.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AgentInfoSchema,
  create,
  ProfileSampleSchema,
  ProfileSamplesSchema,
  ProfileStackSchema,
} from "@periscope/proto";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeCollector as startCollector } from "../testing/fake-collector.js";
import { Exporter } from "./exporter.js";

const agentInfo = () => create(AgentInfoSchema, { hostname: "test-host", version: "0.1.0" });
const profile = (hash: bigint) =>
  create(ProfileSamplesSchema, {
    startTimeUnixNano: BigInt(Date.now()) * 1_000_000n,
    intervalNano: 10_000_000_000n,
    rateHz: 97,
    stacks: [create(ProfileStackSchema, { hash, frames: ["main", "hot"] })],
    samples: [
      create(ProfileSampleSchema, { pid: 7, process: "p", service: "p", stackHash: hash, samples: 3n }),
    ],
  });

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("Exporter with profiles", () => {
  it("sends an interval in a batch of its own when no records come", async () => {
    const collector = await startCollector();
    cleanups.push(collector.stop);
    const exporter = new Exporter({
      address: collector.address,
      agentId: "a",
      agentInfo,
      flushIntervalMs: 50,
    });
    exporter.addProfiles(profile(1n));
    const deadline = Date.now() + 5000;
    while (!collector.received.some((b) => b.profiles.length > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const batch = collector.received.find((b) => b.profiles.length > 0);
    expect(batch?.profiles[0]?.stacks[0]?.frames).toEqual(["main", "hot"]);
    await exporter.close();
    expect(exporter.counters.profilesDropped).toBe(0);
  });

  it("keeps at most 8 intervals while nothing is sent, counting the oldest it lets go, and counts those unsent at close", async () => {
    const exporter = new Exporter({
      address: "127.0.0.1:1",
      agentId: "a",
      agentInfo,
      flushIntervalMs: 3_600_000,
    });
    for (let i = 1; i <= 10; i++) exporter.addProfiles(profile(BigInt(i)));
    expect(exporter.counters.profilesDropped).toBe(2);
    await exporter.close(0);
    expect(exporter.counters.profilesDropped).toBe(10);
  });

  it("keeps an interval through the disk spool when the collector is away at close", async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), "periscope-profile-spool-"));
    cleanups.push(async () => rmSync(spoolDir, { recursive: true, force: true }));
    const away = new Exporter({
      address: "127.0.0.1:1",
      agentId: "a",
      agentInfo,
      spoolDir,
      flushIntervalMs: 3_600_000,
    });
    away.addProfiles(profile(42n));
    await away.close(0);
    expect(away.counters.profilesDropped).toBe(0);

    const collector = await startCollector();
    cleanups.push(collector.stop);
    const back = new Exporter({ address: collector.address, agentId: "a", agentInfo, spoolDir });
    const deadline = Date.now() + 5000;
    while (!collector.received.some((b) => b.profiles.length > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(collector.received.flatMap((b) => b.profiles.map((p) => p.stacks[0]?.hash))).toEqual([42n]);
    await back.close();
  });
});
