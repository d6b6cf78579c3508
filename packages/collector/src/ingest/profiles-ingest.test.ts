// An Export batch's CPU profile lands in profile_stacks and profile_samples,
// a later batch's samples may name a stack sent before, malformed parts are
// left out and counted by reason, and the flame-graph query reads it all back.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  create,
  ExportRequestSchema,
  ProfileSampleSchema,
  ProfileSamplesSchema,
  ProfileStackSchema,
} from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryFlameGraph } from "../query/flamegraph-query.js";
import { applyMigrations, loadMigrations } from "../storage/migrations.js";
import { openStorage, type Storage } from "../storage/storage.js";
import { ExportBatchHandler } from "./export-batch-handler.js";
import { IngestStats } from "./ingest-stats.js";
import { toProfileRows } from "./profile-rows.js";

let dataDir: string;
let storage: Storage;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "periscope-profiles-"));
  storage = openStorage({ kind: "embedded", dataDir });
  await applyMigrations(storage, await loadMigrations({ retentionDays: 7 }));
}, 60_000);

afterAll(async () => {
  await storage?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const HOT = 0xfedc_ba98_7654_3210n; // above 2^63: must stay exact
const COLD = 42n;
const startMs = Date.now() - 20_000;

function interval(
  at: number,
  stacks: Array<[bigint, string[]]>,
  samples: Array<[bigint, number]>,
  rateHz = 97,
) {
  return create(ProfileSamplesSchema, {
    startTimeUnixNano: BigInt(at) * 1_000_000n,
    intervalNano: 10_000_000_000n,
    rateHz,
    stacks: stacks.map(([hash, frames]) => create(ProfileStackSchema, { hash, frames })),
    samples: samples.map(([stackHash, count]) =>
      create(ProfileSampleSchema, {
        pid: 4242,
        process: "node:orders",
        service: "node:orders",
        stackHash,
        samples: BigInt(count),
      }),
    ),
  });
}

describe("toProfileRows", () => {
  it("names a container's process by its pod's workload and namespace, as request records are named", () => {
    const profile = interval(startMs, [], [[HOT, 3]]);
    (profile.samples[0] as { containerId: string }).containerId = "c0ffee";
    const identify = (id: string) =>
      id === "c0ffee" ? { namespace: "shop", displayName: "shop/checkout", pod: "checkout-6f8d" } : undefined;
    const [row] = toProfileRows("node-1", [profile], Date.now(), identify).samples;
    expect(row).toMatchObject({
      namespace: "shop",
      service: "shop/checkout",
      process: "node:orders",
      container_id: "c0ffee",
      pod: "checkout-6f8d",
    });
    // Host mode (no metadata) keeps the agent's name.
    expect(toProfileRows("node-1", [profile]).samples[0]).toMatchObject({
      namespace: "",
      service: "node:orders",
      container_id: "c0ffee",
      pod: "",
    });
  });
});

describe("profiles ingest", () => {
  const stats = new IngestStats();
  let handler: ExportBatchHandler;
  beforeAll(() => {
    handler = new ExportBatchHandler(storage, stats, 4);
  });

  it("stores stacks once by hash and samples per process and stack; a later batch may name an earlier stack", async () => {
    const first = await handler.handle(
      create(ExportRequestSchema, {
        agentId: "host-1",
        batchSeq: 1n,
        profiles: [
          interval(
            startMs,
            [
              [HOT, ["main", "run", "JS:*spinHot file:///app.js:3:1"]],
              [COLD, ["main", "idle_wait", "do_syscall_64 [k]"]],
            ],
            [
              [HOT, 30],
              [COLD, 5],
            ],
          ),
        ],
      }),
    );
    expect(first).toEqual({ kind: "stored", accepted: 0 });
    const second = await handler.handle(
      create(ExportRequestSchema, {
        agentId: "host-1",
        batchSeq: 2n,
        profiles: [interval(startMs + 10_000, [], [[HOT, 12]])],
      }),
    );
    expect(second).toEqual({ kind: "stored", accepted: 0 });
    await handler.drained();

    const stacks = await storage.select<{ hash: string; frames: string[] }>(
      "SELECT toString(stack_hash) AS hash, frames FROM profile_stacks ORDER BY stack_hash",
    );
    expect(stacks).toEqual([
      { hash: "42", frames: ["main", "idle_wait", "do_syscall_64 [k]"] },
      { hash: HOT.toString(), frames: ["main", "run", "JS:*spinHot file:///app.js:3:1"] },
    ]);
    const graph = await queryFlameGraph(
      storage,
      { service: "node:orders" },
      { fromMs: startMs - 60_000, toMs: Date.now() + 1000 },
    );
    expect(graph.total).toBe(47);
    const hot = graph.names.indexOf("JS:*spinHot file:///app.js:3:1");
    expect(hot).toBeGreaterThan(0);
    expect(graph.values[hot]).toBe(42);
    expect(stats.profiles).toMatchObject({ stacksAccepted: 2, samplesAccepted: 3, rejected: 0 });
  });

  it("leaves out malformed intervals, stacks and samples, counted by reason, and stores the rest", async () => {
    const outcome = await handler.handle(
      create(ExportRequestSchema, {
        agentId: "host-2",
        batchSeq: 1n,
        profiles: [
          interval(
            startMs,
            [
              [7n, ["main", "x".repeat(2000)]],
              [8n, []],
            ],
            [
              [0n, 3],
              [HOT, 0],
              [HOT, 2],
            ],
          ),
          interval(startMs, [], [[HOT, 1]], 0),
          interval(0, [], [[HOT, 1]]),
        ],
      }),
    );
    expect(outcome).toEqual({ kind: "stored", accepted: 0 });
    await handler.drained();
    expect(stats.profiles.rejectedBy).toMatchObject({
      field_too_long: 1,
      too_many_frames: 1,
      unknown_stack: 1,
      value_too_large: 1,
      bad_rate: 1,
      bad_time: 1,
    });
    const [row] = await storage.select<{ samples: string }>(
      "SELECT toString(sum(samples)) AS samples FROM profile_samples WHERE agent_id = 'host-2'",
    );
    expect(row?.samples).toBe("2");
  });
});
