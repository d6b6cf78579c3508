// The TTL is written into the table when it is created; an operator who later
// changes PERISCOPE_RETENTION_DAYS expects it to take effect on restart.
import type { Storage } from "./storage.js";

export async function syncRequestsRetention(storage: Storage, retentionDays: number): Promise<boolean> {
  const days = Math.trunc(retentionDays);
  const rows = await storage.select<{ engine_full: string }>(
    "SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = 'requests'",
  );
  const engine = rows[0]?.engine_full ?? "";
  if (engine.includes(`toIntervalDay(${days})`)) return false;
  // DDL takes no query parameters; `days` is the validated integer from config.
  await storage.command(`ALTER TABLE requests MODIFY TTL toDateTime(time) + toIntervalDay(${days})`);
  return true;
}
