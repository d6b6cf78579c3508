// Flame graph for a scope (service and/or pid) over a range: sample counts per
// stack from profile_samples, frames from profile_stacks (stored once per hash).
import type { QueryParams, Storage } from "../storage/storage.js";
import { inSubquery } from "./distributed-subquery.js";
import { buildFlameGraph, type FlameGraph } from "./flame-tree.js";
import type { TimeRange } from "./time-range.js";

export interface FlameGraphScope {
  service?: string;
  pid?: number;
}

const SAMPLE_TIME_CONDITION =
  "time >= toDateTime(intDiv({from_ms:Int64}, 1000), 'UTC') AND time < toDateTime(intDiv({to_ms:Int64} + 999, 1000), 'UTC')";

export async function queryFlameGraph(
  storage: Storage,
  scope: FlameGraphScope,
  range: TimeRange,
  maxNodes?: number,
): Promise<FlameGraph> {
  const conditions = [SAMPLE_TIME_CONDITION];
  const params: QueryParams = { from_ms: range.fromMs, to_ms: range.toMs };
  if (scope.service !== undefined) {
    conditions.push("service = {service:String}");
    params.service = scope.service;
  }
  if (scope.pid !== undefined) {
    conditions.push("pid = {pid:UInt32}");
    params.pid = scope.pid;
  }
  const where = conditions.join(" AND ");
  // The stacks table is read only for hashes sampled in scope (its key); GLOBAL
  // IN (distributed-subquery.ts) keeps that right when both tables are Distributed.
  const sql = `
SELECT stacks.frames AS frames, sampled.samples AS samples
FROM (
  SELECT stack_hash, sum(samples) AS samples FROM profile_samples WHERE ${where} GROUP BY stack_hash
) AS sampled
INNER JOIN (
  SELECT stack_hash, argMax(frames, last_seen) AS frames FROM profile_stacks
  WHERE ${inSubquery("stack_hash", `SELECT stack_hash FROM profile_samples WHERE ${where}`)}
  GROUP BY stack_hash
) AS stacks USING stack_hash`;
  const rows = await storage.select<{ frames: string[]; samples: string }>(sql, params);
  return buildFlameGraph(
    rows.map((row) => ({ frames: row.frames, samples: Number(row.samples) })),
    maxNodes,
  );
}
