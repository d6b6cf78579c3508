// Remembers the last stored batch_seq per agent so a retried batch (same
// agent, same number) is acknowledged without being stored twice.
//
// Only an exact repeat counts as a duplicate: an agent that restarts begins
// numbering again, and treating lower numbers as old would drop its data.
// Sequence 0 is proto3's "not set" and is never deduplicated.
export class BatchSequenceMemory {
  private readonly lastStored = new Map<string, bigint>();

  constructor(private readonly maxAgents = 10_000) {}

  isDuplicate(agentId: string, batchSeq: bigint): boolean {
    return batchSeq !== 0n && this.lastStored.get(agentId) === batchSeq;
  }

  remember(agentId: string, batchSeq: bigint): void {
    if (batchSeq === 0n) return;
    // Re-inserting moves the agent to the end, so eviction drops the least recently seen.
    this.lastStored.delete(agentId);
    this.lastStored.set(agentId, batchSeq);
    if (this.lastStored.size > this.maxAgents) {
      const oldest = this.lastStored.keys().next().value;
      if (oldest !== undefined) this.lastStored.delete(oldest);
    }
  }

  /** Undoes remember() for a batch that was accepted but could not be stored after all. */
  forget(agentId: string, batchSeq: bigint): void {
    if (this.lastStored.get(agentId) === batchSeq) this.lastStored.delete(agentId);
  }
}
