// A bounded on-disk spool of export batches the collector has not acknowledged,
// so that an outage longer than the memory queue, or an agent restart, loses
// nothing up to the spool's bound (after Fluent Bit's filesystem buffering and
// Vector's disk buffers, which both survive a restart of the shipper).
//
// One file per batch, named by its batch_seq (zero-padded, so names sort in
// sending order) and framed so that a torn or corrupted file (power loss, disk
// fault) is recognised and skipped with a count, never trusted or fatal:
//
//   offset  size  field
//        0     4  magic "PSB1"
//        4     4  payload length (u32 LE)
//        8     4  records          (u32 LE)   counts, so a batch dropped for the
//       12     4  connections      (u32 LE)   bound is counted without decoding it
//       16     4  metric series    (u32 LE)
//       20     8  sealed at, ms since the epoch (f64 LE)
//       28     4  CRC-32 of bytes 4..28 and the payload (zlib.crc32)
//       32     …  payload: the ExportRequest (batch_seq, records, connections,
//                 series) as the wire encodes it, without AgentInfo
//
// A file is written to a temporary name and renamed, so a crash mid-write
// leaves a *.tmp that the next start deletes. Files are written synchronously:
// the spool is written only while the collector does not keep up (or at
// shutdown), when a few hundred µs per ~100 KB batch on the event loop is
// the lesser cost, and the exporter's bookkeeping stays simple.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { decodeExportRequest, type ExportRequest, encodeExportRequest } from "@periscope/proto";

const MAGIC = Buffer.from("PSB1", "latin1");
const HEADER_BYTES = 32;
const SUFFIX = ".batch";

export interface SpooledCounts {
  records: number;
  connections: number;
  series: number;
}

interface SpoolEntry extends SpooledCounts {
  seq: bigint;
  file: string;
  bytes: number;
  sealedAtMs: number;
  /** Read back into the exporter's memory; its file stays until it is acknowledged. */
  loaded: boolean;
}

export interface SpoolCounters {
  batchesWritten: number;
  batchesRead: number;
  /** Deleted unsent, oldest first, to keep within maxBytes. */
  batchesDropped: number;
  /** Files whose frame or checksum was wrong, or whose payload did not decode; skipped and deleted. */
  filesCorrupt: number;
  /** A write failed (disk full, permissions): the batch was not spooled. */
  writeErrors: number;
}

/** A spooled batch read back, with the sealing time it was spooled with. */
export interface SpooledBatch {
  request: ExportRequest;
  sealedAtMs: number;
}

export class BatchSpool {
  readonly counters: SpoolCounters = {
    batchesWritten: 0,
    batchesRead: 0,
    batchesDropped: 0,
    filesCorrupt: 0,
    writeErrors: 0,
  };
  /** Oldest first (by batch_seq). */
  private readonly entries: SpoolEntry[] = [];
  private totalBytes = 0;

  /**
   * Opens (creating) the directory and takes stock of what an earlier run
   * left: each file's frame and checksum are verified now, so a corrupt one is
   * counted at start rather than found when the collector is back.
   * @param onDropped told of the counts of each batch deleted for the bound
   */
  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    private readonly onDropped: (counts: SpooledCounts) => void = () => {},
  ) {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      if (name.endsWith(".tmp")) {
        rmSync(file, { force: true });
        continue;
      }
      if (!name.endsWith(SUFFIX)) continue;
      const entry = this.verify(file, name);
      if (entry === undefined) continue;
      this.entries.push(entry);
      this.totalBytes += entry.bytes;
    }
    this.entries.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    this.enforceBound();
  }

  /** Batches on disk (read back or not) and their bytes. */
  get depth(): { batches: number; bytes: number } {
    return { batches: this.entries.length, bytes: this.totalBytes };
  }

  /** When the oldest spooled batch was sealed; undefined when the spool is empty. */
  get oldestSealedAtMs(): number | undefined {
    let oldest: number | undefined;
    for (const entry of this.entries)
      if (oldest === undefined || entry.sealedAtMs < oldest) oldest = entry.sealedAtMs;
    return oldest;
  }

  /** True while some spooled batch has not been read back yet. */
  get hasUnread(): boolean {
    return this.entries.some((entry) => !entry.loaded);
  }

  /** True if `seq` is on disk (spooled earlier, read back or not). */
  holds(seq: bigint): boolean {
    return this.entries.some((entry) => entry.seq === seq);
  }

  /**
   * Writes one batch (its AgentInfo is left out: it is current when sent).
   * Returns false when the write failed (counted); the caller still holds it.
   */
  write(request: ExportRequest, sealedAtMs: number): boolean {
    const payload = encodeExportRequest({ ...request, agent: undefined });
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header, 0);
    header.writeUInt32LE(payload.length, 4);
    header.writeUInt32LE(request.requests.length, 8);
    header.writeUInt32LE(request.connections.length, 12);
    header.writeUInt32LE(request.metrics.length, 16);
    header.writeDoubleLE(sealedAtMs, 20);
    header.writeUInt32LE(crc32(payload, crc32(header.subarray(4, 28))), 28);
    const name = `${request.batchSeq.toString().padStart(20, "0")}${SUFFIX}`;
    const file = join(this.dir, name);
    try {
      writeFileSync(`${file}.tmp`, Buffer.concat([header, payload]));
      renameSync(`${file}.tmp`, file);
    } catch {
      this.counters.writeErrors++;
      rmSync(`${file}.tmp`, { force: true });
      return false;
    }
    const entry: SpoolEntry = {
      seq: request.batchSeq,
      file,
      bytes: HEADER_BYTES + payload.length,
      sealedAtMs,
      loaded: false,
      records: request.requests.length,
      connections: request.connections.length,
      series: request.metrics.length,
    };
    // Batches are spooled in seq order, except a shutdown's pending batches,
    // which are older than those spooled while the queue was full.
    let at = this.entries.length;
    while (at > 0 && (this.entries[at - 1] as SpoolEntry).seq > entry.seq) at--;
    this.entries.splice(at, 0, entry);
    this.totalBytes += entry.bytes;
    this.counters.batchesWritten++;
    this.enforceBound();
    return true;
  }

  /**
   * The oldest batch not read back yet, verified again; a corrupt one is
   * skipped (counted, deleted) and the next tried. Its file stays until
   * remove() — an agent killed before the collector acknowledged it sends it again.
   */
  readOldest(): SpooledBatch | undefined {
    for (;;) {
      const entry = this.entries.find((candidate) => !candidate.loaded);
      if (entry === undefined) return undefined;
      const request = this.read(entry);
      if (request !== undefined) {
        entry.loaded = true;
        this.counters.batchesRead++;
        return { request, sealedAtMs: entry.sealedAtMs };
      }
      this.counters.filesCorrupt++;
      this.delete(entry);
    }
  }

  /** A batch read back is let go from memory unsent (memory short): it is read again later. */
  unload(seq: bigint): void {
    const entry = this.entries.find((candidate) => candidate.seq === seq);
    if (entry !== undefined) entry.loaded = false;
  }

  /** Deletes an acknowledged (or dropped) batch's file; unknown seqs are ignored. */
  remove(seq: bigint): void {
    const entry = this.entries.find((candidate) => candidate.seq === seq);
    if (entry !== undefined) this.delete(entry);
  }

  /** Over the bound, the oldest batches not in the exporter's memory go first, counted. */
  private enforceBound(): void {
    while (this.totalBytes > this.maxBytes) {
      const oldest = this.entries.find((entry) => !entry.loaded);
      if (oldest === undefined) return;
      this.delete(oldest);
      this.counters.batchesDropped++;
      this.onDropped(oldest);
    }
  }

  private delete(entry: SpoolEntry): void {
    const index = this.entries.indexOf(entry);
    if (index >= 0) this.entries.splice(index, 1);
    this.totalBytes -= entry.bytes;
    rmSync(entry.file, { force: true });
  }

  /** Frame and checksum of a file left by an earlier run; a bad one is counted and deleted. */
  private verify(file: string, name: string): SpoolEntry | undefined {
    const bytes = readFramed(file);
    const seq = /^\d{1,20}/.exec(name)?.[0];
    if (bytes === undefined || seq === undefined) {
      this.counters.filesCorrupt++;
      rmSync(file, { force: true });
      return undefined;
    }
    return {
      seq: BigInt(seq),
      file,
      bytes: bytes.length,
      sealedAtMs: bytes.readDoubleLE(20),
      loaded: false,
      records: bytes.readUInt32LE(8),
      connections: bytes.readUInt32LE(12),
      series: bytes.readUInt32LE(16),
    };
  }

  private read(entry: SpoolEntry): ExportRequest | undefined {
    const bytes = readFramed(entry.file);
    if (bytes === undefined) return undefined;
    try {
      const request = decodeExportRequest(bytes.subarray(HEADER_BYTES));
      return request.batchSeq === entry.seq ? request : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The whole file if its magic, length and CRC-32 are right; undefined otherwise. */
function readFramed(file: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, 4).equals(MAGIC)) return undefined;
  if (bytes.readUInt32LE(4) !== bytes.length - HEADER_BYTES) return undefined;
  const expected = crc32(bytes.subarray(HEADER_BYTES), crc32(bytes.subarray(4, 28)));
  return bytes.readUInt32LE(28) === expected ? bytes : undefined;
}
