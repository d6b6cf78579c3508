// The engine's own counters of what inserts and merges cost it, from
// system.events (cumulative since the engine started; on a server, the whole
// server's, every client included). chdb has no system.part_log or
// system.query_log (src/storage/README.md), so these are what an operator
// gets without a profiler: every part an insert writes (one per table and per
// materialized view target) is one the engine later merges.
import type { Storage } from "./storage.js";

export interface EngineEvents {
  /** INSERT queries the engine ran. */
  insertQueries: number;
  /** Parts written by inserts, materialized views' targets included (compact + wide). */
  partsWritten: number;
  /** Background merges run, and the parts they merged away. */
  merges: number;
  partsMerged: number;
  /** Wall time spent in merges (MergeTotalMilliseconds; merges run on the engine's own threads). */
  mergeMilliseconds: number;
}

const EVENT_OF: Record<string, (events: EngineEvents, value: number) => void> = {
  InsertQuery: (events, value) => {
    events.insertQueries += value;
  },
  InsertedCompactParts: (events, value) => {
    events.partsWritten += value;
  },
  InsertedWideParts: (events, value) => {
    events.partsWritten += value;
  },
  Merge: (events, value) => {
    events.merges += value;
  },
  MergeSourceParts: (events, value) => {
    events.partsMerged += value;
  },
  MergeTotalMilliseconds: (events, value) => {
    events.mergeMilliseconds += value;
  },
};

export const NO_ENGINE_EVENTS: EngineEvents = {
  insertQueries: 0,
  partsWritten: 0,
  merges: 0,
  partsMerged: 0,
  mergeMilliseconds: 0,
};

/** An event that has not happened yet has no row: it reads as 0. */
export async function readEngineEvents(storage: Storage): Promise<EngineEvents> {
  const rows = await storage.select<{ event: string; value: string }>(
    "SELECT event, value FROM system.events WHERE event IN {names:Array(String)}",
    { names: Object.keys(EVENT_OF) },
  );
  const events = { ...NO_ENGINE_EVENTS };
  for (const { event, value } of rows) EVENT_OF[event]?.(events, Number(value));
  return events;
}
