// What stored requests take on disk, from the engine's own accounting
// (system.parts: bytes_on_disk is what the volume holds, compressed data plus
// marks, primary and skip indexes, checksums). Read in a child process: chdb
// binds one data directory per process, and the bench process already has one.
//
// Two readings: as written (parts as inserted, each with its own overhead)
// and, when asked, after OPTIMIZE … FINAL (one part per partition: what a
// day's data settles to once merges catch up).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { openStorage } from "@periscope/collector";

export interface TableFootprint {
  rows: number;
  bytesOnDisk: number;
  compressedBytes: number;
  uncompressedBytes: number;
}

export interface StorageFootprint {
  asWritten: Record<string, TableFootprint>;
  /** After OPTIMIZE … FINAL; absent when not asked for. */
  merged?: Record<string, TableFootprint>;
}

async function readTables(storage: ReturnType<typeof openStorage>): Promise<Record<string, TableFootprint>> {
  const rows = await storage.select<{
    table: string;
    rows: string;
    on_disk: string;
    compressed: string;
    uncompressed: string;
  }>(
    `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS on_disk,
            sum(data_compressed_bytes) AS compressed, sum(data_uncompressed_bytes) AS uncompressed
     FROM system.parts WHERE database = currentDatabase() AND active
     GROUP BY table ORDER BY table`,
  );
  return Object.fromEntries(
    rows.map((row) => [
      row.table,
      {
        rows: Number(row.rows),
        bytesOnDisk: Number(row.on_disk),
        compressedBytes: Number(row.compressed),
        uncompressedBytes: Number(row.uncompressed),
      },
    ]),
  );
}

async function measure(dataDir: string, optimize: boolean): Promise<StorageFootprint> {
  const storage = openStorage({ kind: "embedded", dataDir });
  try {
    const asWritten = await readTables(storage);
    if (!optimize) return { asWritten };
    for (const table of Object.keys(asWritten)) await storage.command(`OPTIMIZE TABLE ${table} FINAL`);
    return { asWritten, merged: await readTables(storage) };
  } finally {
    await storage.close();
  }
}

/**
 * Measures `dataDir` (no collector may hold it) in a child process; `optimize`
 * merges every table first (and so changes what later queries read).
 */
export function measureStorageFootprint(dataDir: string, optimize: boolean): StorageFootprint {
  const self = fileURLToPath(import.meta.url);
  const args = ["--import", "tsx", self, dataDir, optimize ? "optimize" : "as-written"];
  const result = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`storage footprint of ${dataDir} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as StorageFootprint;
}

/** bytes_on_disk per stored request, every table and by table, named `<prefix>_…` for the results. */
export function footprintFigures(
  footprint: StorageFootprint,
  requests: number,
  prefix: string,
): Record<string, number | Record<string, number>> {
  const tables = footprint.merged ?? footprint.asWritten;
  const perRequest = (value: number) => Math.round((value / requests) * 10) / 10;
  const total = (of: Record<string, TableFootprint>, key: keyof TableFootprint) =>
    Object.values(of).reduce((sum, table) => sum + table[key], 0);
  return {
    // Every table (requests, trace index, picker names, roll-ups, batch ids…), per request stored.
    [`${prefix}_bytes_per_request`]: perRequest(total(tables, "bytesOnDisk")),
    ...(footprint.merged === undefined
      ? {}
      : {
          [`${prefix}_bytes_per_request_as_written`]: perRequest(total(footprint.asWritten, "bytesOnDisk")),
        }),
    [`${prefix}_compressed_bytes_per_request`]: perRequest(total(tables, "compressedBytes")),
    [`${prefix}_uncompressed_bytes_per_request`]: perRequest(total(tables, "uncompressedBytes")),
    [`${prefix}_bytes_per_request_by_table`]: Object.fromEntries(
      Object.entries(tables)
        .filter(([, table]) => perRequest(table.bytesOnDisk) > 0)
        .map(([name, table]) => [name, perRequest(table.bytesOnDisk)]),
    ),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dataDir, mode] = process.argv.slice(2);
  if (dataDir === undefined) throw new Error("usage: storage-footprint.ts <data dir> [optimize|as-written]");
  process.stdout.write(JSON.stringify(await measure(dataDir, mode === "optimize")));
}
