// Flame graph for a scope over a range: sample counts per stack from
// profile_samples, frames from profile_stacks (stored once per hash).
//
// A scope is any of service, process, pid, namespace, pod, container and node
// (the agent that sampled); splitBy puts synthetic root frames above the stacks
// ("[node] a", "[namespace] shop", "[pod] api-7d9f", "[service] api",
// "[process] node 1234") so one graph
// splits a fleet by scope. A baseline range makes it a diff: both ranges'
// samples on one tree (flame-tree.ts), each normalised by its own total.
import type { QueryParams, Storage } from "../storage/storage.js";
import { inSubquery } from "./distributed-subquery.js";
import { buildFlameGraph, type FlameGraph, type StackSamples } from "./flame-tree.js";
import type { TimeRange } from "./time-range.js";

export interface FlameGraphScope {
  service?: string;
  pid?: number;
  process?: string;
  namespace?: string;
  pod?: string;
  /** The container id, whole (64 hex) or its first 12 characters as `docker ps` shows it. */
  container?: string;
  /** The agent that took the samples: its node. */
  node?: string;
}

export const SPLIT_DIMENSIONS = ["node", "namespace", "pod", "service", "process"] as const;
export type SplitDimension = (typeof SPLIT_DIMENSIONS)[number];

export interface FlameGraphOptions {
  maxNodes?: number;
  splitBy?: readonly SplitDimension[];
  /** A diff: this range's samples become the graph's baseline. */
  baseline?: TimeRange;
}

const TIME_CONDITION =
  "time >= toDateTime(intDiv({from_ms:Int64}, 1000), 'UTC') AND time < toDateTime(intDiv({to_ms:Int64} + 999, 1000), 'UTC')";

/** The column each split reads, as the SQL groups by it. */
const SPLIT_COLUMNS: Record<SplitDimension, string> = {
  node: "agent_id",
  namespace: "namespace",
  pod: "pod",
  service: "service",
  process: "concat(process, ' ', toString(pid))",
};

interface SampledRow {
  frames: string[];
  samples: string;
  split: string[];
}

function scopeConditions(scope: FlameGraphScope): { conditions: string[]; params: QueryParams } {
  const conditions: string[] = [];
  const params: QueryParams = {};
  const text = (value: string | undefined, column: string) => {
    if (value === undefined) return;
    conditions.push(`${column} = {${column}:String}`);
    params[column] = value;
  };
  text(scope.service, "service");
  text(scope.process, "process");
  text(scope.namespace, "namespace");
  text(scope.pod, "pod");
  if (scope.container !== undefined) {
    conditions.push("startsWith(container_id, {container:String})");
    params.container = scope.container;
  }
  if (scope.node !== undefined) {
    conditions.push("agent_id = {node:String}");
    params.node = scope.node;
  }
  if (scope.pid !== undefined) {
    conditions.push("pid = {pid:UInt32}");
    params.pid = scope.pid;
  }
  return { conditions, params };
}

async function stacksIn(
  storage: Storage,
  scope: FlameGraphScope,
  range: TimeRange,
  splitBy: readonly SplitDimension[],
): Promise<StackSamples[]> {
  const { conditions, params } = scopeConditions(scope);
  const where = [TIME_CONDITION, ...conditions].join(" AND ");
  const split = splitBy.length === 0 ? "[]" : `[${splitBy.map((d) => SPLIT_COLUMNS[d]).join(", ")}]`;
  // The stacks table is read only for hashes sampled in scope (its key); GLOBAL
  // IN (distributed-subquery.ts) keeps that right when both tables are Distributed.
  const sql = `
SELECT stacks.frames AS frames, sampled.samples AS samples, sampled.split AS split
FROM (
  SELECT stack_hash, ${split} AS split, sum(samples) AS samples
  FROM profile_samples WHERE ${where} GROUP BY stack_hash, split
) AS sampled
INNER JOIN (
  SELECT stack_hash, argMax(frames, last_seen) AS frames FROM profile_stacks
  WHERE ${inSubquery("stack_hash", `SELECT stack_hash FROM profile_samples WHERE ${where}`)}
  GROUP BY stack_hash
) AS stacks USING stack_hash`;
  const rows = await storage.select<SampledRow>(sql, { ...params, from_ms: range.fromMs, to_ms: range.toMs });
  return rows.map((row) => ({
    frames: [...splitBy.map((dimension, i) => `[${dimension}] ${row.split[i] || "(none)"}`), ...row.frames],
    samples: Number(row.samples),
  }));
}

export async function queryFlameGraph(
  storage: Storage,
  scope: FlameGraphScope,
  range: TimeRange,
  options: FlameGraphOptions = {},
): Promise<FlameGraph> {
  const splitBy = options.splitBy ?? [];
  const [stacks, baseline] = await Promise.all([
    stacksIn(storage, scope, range, splitBy),
    options.baseline === undefined ? undefined : stacksIn(storage, scope, options.baseline, splitBy),
  ]);
  return buildFlameGraph(stacks, options.maxNodes, baseline);
}
