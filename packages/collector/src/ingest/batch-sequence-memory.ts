// Remembers each agent's recently stored batch_seq values so a retried batch
// (same agent, same number) is acknowledged without being stored twice.
//
// A window, not just the last number: an agent may have several batches in
// flight (exporter.ts), so a retry of batch 5 can arrive after batch 6 was
// stored. Only an exact repeat within the window counts: the exporter starts
// numbering from the clock, so a restarted agent never reuses a recent number
// and its data is never mistaken for a retry. Sequence 0 is proto3's "not set"
// and is never deduplicated.
export const SEQUENCE_WINDOW = 64;

export class BatchSequenceMemory {
  /** Per agent, its last SEQUENCE_WINDOW stored sequences, oldest first. */
  private readonly recent = new Map<string, Set<bigint>>();

  constructor(private readonly maxAgents = 10_000) {}

  isDuplicate(agentId: string, batchSeq: bigint): boolean {
    return batchSeq !== 0n && this.recent.get(agentId)?.has(batchSeq) === true;
  }

  remember(agentId: string, batchSeq: bigint): void {
    if (batchSeq === 0n) return;
    const seen = this.recent.get(agentId) ?? new Set<bigint>();
    // Re-inserting moves the agent to the end, so eviction drops the least recently seen.
    this.recent.delete(agentId);
    this.recent.set(agentId, seen);
    seen.add(batchSeq);
    if (seen.size > SEQUENCE_WINDOW) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
    if (this.recent.size > this.maxAgents) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }

  /** Undoes remember() for a batch that was accepted but could not be stored after all. */
  forget(agentId: string, batchSeq: bigint): void {
    this.recent.get(agentId)?.delete(batchSeq);
  }
}
