// The batch_seq memory (batch-sequence-memory.ts) kept across a collector
// restart, read back from what storage holds (migration 0014).
//
// Issue #14: a collector killed after an INSERT committed but before its
// answer left stored the batch while the agent kept it; the agent sent the same
// batch_seq again and the restarted collector, its memory empty, stored it
// twice (~200 request ids in 7 of 9 runs). The check must agree with the
// insert, so the evidence is the insert itself:
//
// - every request row carries its batch_seq, and a batch's records land in
//   one INSERT (one part per partition, committed whole): its number in
//   `requests` means its records are stored;
// - `ingested_batches` gets one row per batch after the batch's other tables
//   (connections, metric series) are stored: its number there means the
//   whole batch is.
//
// At start the last SEQUENCE_WINDOW numbers per agent from each are
// remembered. A number found only in `requests` is a batch cut off between
// its records and the rest: a retry stores its other tables and not its
// records again. What remains: a kill between a batch's connections/series
// insert and its ingested_batches row stores those twice on retry (the
// window is one small INSERT; records are never stored twice).
//
// Why the window is enough: the batches a crash leaves unanswered are the
// ones in flight (at most maxInFlightBatches per agent), among the last an
// agent sent, and an agent resends its oldest batches first. Records are read
// back from the last hour only: the batch cut off was being inserted at the
// crash, and its records are recent unless they waited in an agent's spool.
import { SEQUENCE_WINDOW } from "./batch-sequence-memory.js";

export const INGESTED_BATCHES_TABLE = "ingested_batches";

export interface StoredBatch {
  agentId: string;
  batchSeq: bigint;
}

export interface StoredSequences {
  /** Batches stored whole. */
  complete: StoredBatch[];
  /** Batches whose records are stored and whose other tables may not be. */
  recordsOnly: StoredBatch[];
}

interface SequenceSource {
  select<Row>(sql: string, params?: Record<string, string | number>): Promise<Row[]>;
}

export async function loadStoredSequences(storage: SequenceSource): Promise<StoredSequences> {
  type Row = { agent_id: string; batch_seq: string };
  const toBatch = (row: Row): StoredBatch => ({ agentId: row.agent_id, batchSeq: BigInt(row.batch_seq) });
  const complete = await storage.select<Row>(
    `SELECT agent_id, batch_seq FROM ${INGESTED_BATCHES_TABLE}
     WHERE ingested_at > now64(3) - INTERVAL 1 DAY
     ORDER BY agent_id, batch_seq DESC LIMIT {window:UInt32} BY agent_id`,
    { window: SEQUENCE_WINDOW },
  );
  const records = await storage.select<Row>(
    `SELECT agent_id, batch_seq FROM requests
     WHERE time > now64(9) - INTERVAL 1 HOUR AND batch_seq != 0
     GROUP BY agent_id, batch_seq
     ORDER BY agent_id, batch_seq DESC LIMIT {window:UInt32} BY agent_id`,
    { window: SEQUENCE_WINDOW },
  );
  const whole = new Set(complete.map((row) => `${row.agent_id}\u0000${row.batch_seq}`));
  return {
    complete: complete.map(toBatch),
    recordsOnly: records.filter((row) => !whole.has(`${row.agent_id}\u0000${row.batch_seq}`)).map(toBatch),
  };
}

/** The ingested_batches row of a batch, written last in its insert cycle. */
export function ingestedBatchRow(agentId: string, batchSeq: bigint, now = Date.now()): object {
  return { agent_id: agentId, batch_seq: batchSeq.toString(), ingested_at: String(now) };
}
