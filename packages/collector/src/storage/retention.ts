// TTLs are written into each table when it is created; an operator who later
// changes a PERISCOPE_*_RETENTION_DAYS variable expects it to take effect on
// restart, so each table's TTL is compared with the configuration and altered.
import { clusterOf, DEFAULT_RETENTION, localTableName, type SchemaSettings } from "./ddl-template.js";
import type { Storage } from "./storage.js";

/**
 * The hourly roll-ups outlive the minute ones (long ranges read whole hours,
 * query/rollup-source.ts): their tier has its own retention. Their tables
 * are created by migration 0013 with the minute tier's TTL; this sync sets
 * theirs on every start, so no migration has to carry the setting.
 */
export const DEFAULT_HOURLY_ROLLUP_RETENTION_DAYS = 365;

export type RetentionSettings = SchemaSettings & { hourlyRollupRetentionDays?: number };

type RetentionKey = "retentionDays" | "hourlyRollupRetentionDays" | keyof typeof DEFAULT_RETENTION;

interface TableTtl {
  table: string;
  /** The TTL expression's time side, exactly as the migration writes it. */
  timeExpression: string;
  setting: RetentionKey;
}

export const TABLE_TTLS: readonly TableTtl[] = [
  { table: "requests", timeExpression: "toDateTime(time)", setting: "retentionDays" },
  { table: "connections", timeExpression: "toDateTime(time)", setting: "retentionDays" },
  { table: "trace_index", timeExpression: "day", setting: "retentionDays" },
  { table: "metric_edges_1m", timeExpression: "minute", setting: "rollupRetentionDays" },
  { table: "metric_services_1m", timeExpression: "minute", setting: "rollupRetentionDays" },
  { table: "metric_endpoints_1m", timeExpression: "minute", setting: "rollupRetentionDays" },
  { table: "metric_edges_1h", timeExpression: "hour", setting: "hourlyRollupRetentionDays" },
  { table: "metric_services_1h", timeExpression: "hour", setting: "hourlyRollupRetentionDays" },
  { table: "metric_endpoints_1h", timeExpression: "hour", setting: "hourlyRollupRetentionDays" },
  { table: "profile_stacks", timeExpression: "last_seen", setting: "profileRetentionDays" },
  { table: "profile_samples", timeExpression: "time", setting: "profileRetentionDays" },
  { table: "shared_links", timeExpression: "toDateTime(created_at)", setting: "linkRetentionDays" },
  { table: "agents", timeExpression: "toDateTime(last_seen)", setting: "agentRetentionDays" },
];

function configuredDays(settings: RetentionSettings, key: RetentionKey): number {
  if (key === "retentionDays") return Math.trunc(settings.retentionDays);
  if (key === "hourlyRollupRetentionDays") {
    const minute = settings.rollupRetentionDays ?? DEFAULT_RETENTION.rollupRetentionDays;
    // Never shorter than the minute tier (config.ts refuses that too).
    return Math.trunc(
      Math.max(settings.hourlyRollupRetentionDays ?? DEFAULT_HOURLY_ROLLUP_RETENTION_DAYS, minute),
    );
  }
  return Math.trunc(settings[key] ?? DEFAULT_RETENTION[key]);
}

/** Alters every table whose TTL differs from the configuration; returns the tables changed. */
export async function syncRetention(storage: Storage, settings: RetentionSettings): Promise<string[]> {
  const cluster = clusterOf(settings);
  const rows = await storage.select<{ name: string; engine_full: string }>(
    "SELECT name, engine_full FROM system.tables WHERE database = currentDatabase()",
  );
  const engines = new Map(rows.map((row) => [row.name, row.engine_full]));
  const changed: string[] = [];
  for (const { table, timeExpression, setting } of TABLE_TTLS) {
    const local = localTableName(table, settings);
    const engine = engines.get(local);
    if (engine === undefined) continue;
    const days = configuredDays(settings, setting);
    if (engine.includes(`toIntervalDay(${days})`)) continue;
    // DDL takes no query parameters; `days` is a validated integer from config.
    const onCluster = cluster === "" ? "" : ` ON CLUSTER '${cluster}'`;
    await storage.command(
      `ALTER TABLE ${local}${onCluster} MODIFY TTL ${timeExpression} + toIntervalDay(${days})`,
    );
    changed.push(table);
  }
  return changed;
}
