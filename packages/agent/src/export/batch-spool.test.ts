import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, ExportRequestSchema, RequestRecordSchema } from "@periscope/proto";
import { afterEach, describe, expect, it } from "vitest";
import { BatchSpool, type SpooledCounts } from "./batch-spool.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function spoolDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "periscope-spool-"));
  dirs.push(dir);
  return dir;
}

const batch = (seq: bigint, records = 2) =>
  create(ExportRequestSchema, {
    agentId: "a",
    batchSeq: seq,
    requests: Array.from({ length: records }, (_, index) =>
      create(RequestRecordSchema, { protocol: "http", target: `/b${seq}/r${index}` }),
    ),
  });

function readAll(spool: BatchSpool): bigint[] {
  const seqs: bigint[] = [];
  for (let next = spool.readOldest(); next !== undefined; next = spool.readOldest()) {
    seqs.push(next.request.batchSeq);
  }
  return seqs;
}

const files = (dir: string) => readdirSync(dir).sort();

describe("BatchSpool", () => {
  it("gives back after a restart what it was given, oldest batch_seq first, until removed", () => {
    const dir = spoolDir();
    const first = new BatchSpool(dir, 1 << 20);
    first.write(batch(30n), 3_000);
    first.write(batch(10n), 1_000);
    first.write(batch(20n), 2_000);
    expect(first.depth.batches).toBe(3);

    const second = new BatchSpool(dir, 1 << 20);
    expect(second.oldestSealedAtMs).toBe(1_000);
    const oldest = second.readOldest();
    expect(oldest?.request.requests.map((r) => r.target)).toEqual(["/b10/r0", "/b10/r1"]);
    expect(oldest?.sealedAtMs).toBe(1_000);
    expect(readAll(second)).toEqual([20n, 30n]);
    // Read back is not acknowledged: a third run would send them all again.
    expect(new BatchSpool(dir, 1 << 20).depth.batches).toBe(3);
    for (const seq of [10n, 20n, 30n]) second.remove(seq);
    expect(files(dir)).toEqual([]);
  });

  it("skips and counts a corrupt file and a truncated one, and reads the rest", () => {
    const dir = spoolDir();
    const writer = new BatchSpool(dir, 1 << 20);
    for (const seq of [1n, 2n, 3n, 4n]) writer.write(batch(seq), 0);
    const [one, two, three] = files(dir).map((name) => join(dir, name));
    const flipped = readFileSync(one as string);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 3) ^ 0x40, flipped.length - 3); // one bit of the payload
    writeFileSync(one as string, flipped);
    truncateSync(two as string, 50); // power loss mid-write
    writeFileSync(three as string, ""); // an empty file
    writeFileSync(join(dir, "00000000000000000005.batch.tmp"), "half");

    const reader = new BatchSpool(dir, 1 << 20);
    expect(reader.counters.filesCorrupt).toBe(3);
    expect(readAll(reader)).toEqual([4n]);
    expect(files(dir)).toEqual(["00000000000000000004.batch"]);
  });

  it("counts a file corrupted after start when it is read back, and goes on", () => {
    const dir = spoolDir();
    const spool = new BatchSpool(dir, 1 << 20);
    spool.write(batch(1n), 0);
    spool.write(batch(2n), 0);
    writeFileSync(
      join(dir, files(dir)[0] as string),
      "garbage that is long enough to hold a header of 32 bytes",
    );
    expect(readAll(spool)).toEqual([2n]);
    expect(spool.counters.filesCorrupt).toBe(1);
  });

  it("keeps within its bound by dropping the oldest unread batches, counted with their records", () => {
    const dir = spoolDir();
    const dropped: SpooledCounts[] = [];
    const probe = new BatchSpool(spoolDir(), 1 << 20);
    probe.write(batch(1n, 5), 0);
    const oneBatch = probe.depth.bytes;
    const spool = new BatchSpool(dir, oneBatch * 3, (counts) => dropped.push(counts));
    for (const seq of [1n, 2n, 3n, 4n, 5n]) spool.write(batch(seq, 5), 0);
    expect(spool.depth).toEqual({ batches: 3, bytes: oneBatch * 3 });
    expect(spool.counters.batchesDropped).toBe(2);
    expect(dropped.map((counts) => counts.records)).toEqual([5, 5]);
    expect(readAll(spool)).toEqual([3n, 4n, 5n]);
    // Batches read back (in the exporter's memory) are not dropped for the bound;
    // a new one is, when nothing older is left to drop.
    spool.write(batch(6n, 5), 0);
    expect(readAll(spool)).toEqual([]);
    expect(spool.counters.batchesDropped).toBe(3);
    // A smaller bound at the next start drops the oldest at once.
    const smaller = new BatchSpool(dir, oneBatch * 2);
    expect(smaller.counters.batchesDropped).toBe(1);
    expect(readAll(smaller)).toEqual([4n, 5n]);
  });
});
