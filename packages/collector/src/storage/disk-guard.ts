// Keeps storage from filling its volume. TTLs bound how long data lives, not
// how much of it there is: a burst of traffic, or a volume smaller than the
// retention needs, fills the disk, and a full disk stops every insert and
// merge. Coroot's collector guards its ClickHouse the same way (its space
// manager drops the oldest partitions once disk usage passes a threshold).
//
// Every check reads what the database's active parts take (system.parts) and
// the free space of the disks they lie on (system.disks; the embedded
// engine's data directory volume, or the server's). Over a limit, whole day
// partitions are dropped, oldest day first, cheapest data first:
//   1. raw records (requests, connections, trace_index, profile_samples),
//   2. the per-minute roll-ups and picker names,
//   3. the hourly roll-ups,
// until enough is freed; the newest partition of each table is never dropped
// (today's data is what a user is looking at). Each action logs one line and
// is counted (/metrics, /api/v1/stats).
//
// In a cluster the guard measures the node it is connected to and drops ON
// CLUSTER: with rows spread by rand(), shards fill alike.
import { clusterOf, localTableName } from "./ddl-template.js";
import type { Storage } from "./storage.js";

export const DROP_TIERS: readonly (readonly string[])[] = [
  ["requests", "connections", "trace_index", "profile_samples"],
  ["metric_edges_1m", "metric_services_1m", "metric_endpoints_1m"],
  ["metric_edges_1h", "metric_services_1h", "metric_endpoints_1h"],
];

export interface DiskGuardLimits {
  /** Bytes the database's active parts may take; 0: no limit. */
  maxBytes: number;
  /** Free share of the volume (%) to keep; 0: not watched. */
  minFreePercent: number;
}

export interface Partition {
  /** Logical table name (requests, not requests_local). */
  table: string;
  /** partition_id: YYYYMMDD for every table the guard drops from. */
  id: string;
  bytes: number;
}

export interface Usage {
  databaseBytes: number;
  volumeFreeBytes: number;
  volumeTotalBytes: number;
}

/** Bytes to free now (0: within limits), and which limit asks for them. */
export function bytesToFree(
  usage: Usage,
  limits: DiskGuardLimits,
): { bytes: number; reason: "max_bytes" | "min_free" | null } {
  const overMax = limits.maxBytes > 0 ? usage.databaseBytes - limits.maxBytes : 0;
  const overFree =
    limits.minFreePercent > 0 && usage.volumeTotalBytes > 0
      ? Math.ceil((usage.volumeTotalBytes * limits.minFreePercent) / 100) - usage.volumeFreeBytes
      : 0;
  if (overMax <= 0 && overFree <= 0) return { bytes: 0, reason: null };
  return overMax >= overFree
    ? { bytes: overMax, reason: "max_bytes" }
    : { bytes: overFree, reason: "min_free" };
}

/**
 * The partitions to drop to free `needed` bytes: tier by tier, oldest day
 * first, a day's partitions of every table in the tier together (a day of
 * requests without its trace index would be half a day). The newest partition
 * of each table is kept. Fewer than needed when nothing else may go.
 */
export function planDrops(partitions: readonly Partition[], needed: number): Partition[] {
  const newest = new Map<string, string>();
  for (const { table, id } of partitions) {
    if ((newest.get(table) ?? "") < id) newest.set(table, id);
  }
  const plan: Partition[] = [];
  let freed = 0;
  for (const tier of DROP_TIERS) {
    const droppable = partitions
      .filter((p) => tier.includes(p.table) && newest.get(p.table) !== p.id)
      .sort((a, b) => (a.id === b.id ? a.table.localeCompare(b.table) : a.id < b.id ? -1 : 1));
    const days = [...new Set(droppable.map((p) => p.id))];
    for (const day of days) {
      if (freed >= needed) return plan;
      for (const partition of droppable.filter((p) => p.id === day)) {
        plan.push(partition);
        freed += partition.bytes;
      }
    }
  }
  return plan;
}

export interface DiskGuardState {
  /** Checks completed (their drops included). */
  checks: number;
  /** Checks that found storage over a limit. */
  overLimitChecks: number;
  partitionsDropped: number;
  bytesDropped: number;
  /** Partitions and bytes dropped per table since start. */
  droppedByTable: Record<string, { partitions: number; bytes: number }>;
  /** Over a limit with nothing left that may be dropped (only the newest partitions remain). */
  cannotFree: boolean;
  last: (Usage & { at: string; bytesToFree: number }) | null;
}

interface Logger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface DiskGuardOptions extends DiskGuardLimits {
  cluster?: string;
  /** How often to check; the first check runs at start. */
  intervalMs?: number;
  log: Logger;
}

const PARTITION_ID = /^\d{8}$/;

export class DiskGuard {
  readonly state: DiskGuardState = {
    checks: 0,
    overLimitChecks: 0,
    partitionsDropped: 0,
    bytesDropped: 0,
    droppedByTable: {},
    cannotFree: false,
    last: null,
  };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly localToLogical: Map<string, string>;
  private readonly cluster: string;

  constructor(
    private readonly storage: Storage,
    private readonly options: DiskGuardOptions,
  ) {
    this.cluster = clusterOf({ retentionDays: 1, cluster: options.cluster ?? "" });
    this.localToLogical = new Map(
      DROP_TIERS.flat().map((table) => [
        localTableName(table, { retentionDays: 1, cluster: this.cluster }),
        table,
      ]),
    );
  }

  get enabled(): boolean {
    return this.options.maxBytes > 0 || this.options.minFreePercent > 0;
  }

  start(): void {
    if (!this.enabled || this.timer !== undefined) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? 30_000);
    this.timer.unref();
  }

  /** One check (and the drops it needs); concurrent callers share it. Never throws. */
  check(): Promise<void> {
    this.running ??= this.checkOnce()
      .catch((error: unknown) => this.options.log.warn({ err: error }, "disk guard: check failed"))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async checkOnce(): Promise<void> {
    try {
      await this.measureAndDrop();
    } finally {
      // Counted once the check and its drops are done: a reader seeing the count sees their outcome.
      this.state.checks += 1;
    }
  }

  private async measureAndDrop(): Promise<void> {
    const usage = await this.readUsage();
    const { bytes: needed, reason } = bytesToFree(usage, this.options);
    this.state.last = { ...usage, at: new Date().toISOString(), bytesToFree: Math.max(0, needed) };
    if (reason === null) {
      this.state.cannotFree = false;
      return;
    }
    this.state.overLimitChecks += 1;
    const plan = planDrops(await this.readPartitions(), needed);
    if (plan.length === 0) {
      if (!this.state.cannotFree) {
        this.options.log.warn(
          { ...usage, bytesToFree: needed, reason },
          "disk guard: storage is over its limit and only the newest partitions are left; nothing dropped",
        );
      }
      this.state.cannotFree = true;
      return;
    }
    this.state.cannotFree = false;
    const onCluster = this.cluster === "" ? "" : ` ON CLUSTER '${this.cluster}'`;
    const dropped: Partition[] = [];
    try {
      for (const partition of plan) {
        const local = localTableName(partition.table, { retentionDays: 1, cluster: this.cluster });
        // DDL takes no parameters: the table is from DROP_TIERS and the id
        // matched PARTITION_ID. A server refuses to drop a partition over
        // max_partition_size_to_drop (50 GB by default) unless told otherwise.
        await this.storage.command(
          `ALTER TABLE ${local}${onCluster} DROP PARTITION ID '${partition.id}' SETTINGS max_partition_size_to_drop = 0`,
        );
        dropped.push(partition);
        this.count(partition);
      }
    } finally {
      if (dropped.length > 0) {
        const bytes = dropped.reduce((sum, p) => sum + p.bytes, 0);
        this.options.log.warn(
          {
            reason,
            bytesToFree: needed,
            bytesDropped: bytes,
            partitions: dropped.map((p) => `${p.table}/${p.id}`),
            ...usage,
          },
          `disk guard: dropped ${dropped.length} oldest partitions (${bytes} bytes) to stay within ${reason === "max_bytes" ? "PERISCOPE_STORAGE_MAX_BYTES" : "PERISCOPE_STORAGE_MIN_FREE_PERCENT"}`,
        );
      }
    }
  }

  private count(partition: Partition): void {
    this.state.partitionsDropped += 1;
    this.state.bytesDropped += partition.bytes;
    const table = this.state.droppedByTable[partition.table] ?? { partitions: 0, bytes: 0 };
    table.partitions += 1;
    table.bytes += partition.bytes;
    this.state.droppedByTable[partition.table] = table;
  }

  private async readUsage(): Promise<Usage> {
    const [database] = await this.storage.select<{ bytes: string }>(
      "SELECT sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = currentDatabase() AND active",
    );
    // The disks holding this database's parts (the default disk before any
    // part exists); with several, the fullest one decides.
    const used = await this.storage.select<{ disk: string }>(
      "SELECT DISTINCT disk_name AS disk FROM system.parts WHERE database = currentDatabase() AND active",
    );
    const names = new Set(used.length === 0 ? ["default"] : used.map((row) => row.disk));
    const disks = await this.storage.select<{ name: string; free: string; total: string }>(
      "SELECT name, free_space AS free, total_space AS total FROM system.disks",
    );
    let fullest = { free: 0, total: 0 };
    for (const disk of disks.filter((row) => names.has(row.name))) {
      const free = Number(disk.free);
      const total = Number(disk.total);
      if (fullest.total === 0 || free / total < fullest.free / fullest.total) fullest = { free, total };
    }
    return {
      databaseBytes: Number(database?.bytes ?? 0),
      volumeFreeBytes: fullest.free,
      volumeTotalBytes: fullest.total,
    };
  }

  private async readPartitions(): Promise<Partition[]> {
    const rows = await this.storage.select<{ table: string; id: string; bytes: string }>(
      `SELECT table, partition_id AS id, sum(bytes_on_disk) AS bytes FROM system.parts
       WHERE database = currentDatabase() AND active AND table IN {tables:Array(String)}
       GROUP BY table, partition_id`,
      { tables: [...this.localToLogical.keys()] },
    );
    return rows.flatMap((row) => {
      const table = this.localToLogical.get(row.table);
      if (table === undefined || !PARTITION_ID.test(row.id)) return [];
      return [{ table, id: row.id, bytes: Number(row.bytes) }];
    });
  }
}
