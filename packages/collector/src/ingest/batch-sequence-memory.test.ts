import { describe, expect, it } from "vitest";
import { BatchSequenceMemory, SEQUENCE_WINDOW } from "./batch-sequence-memory.js";

describe("BatchSequenceMemory", () => {
  it("flags an exact repeat of a recently stored batch, also out of order", () => {
    const memory = new BatchSequenceMemory();
    memory.remember("a", 5n);
    memory.remember("a", 6n);
    // Batches in flight together: 5's retry can arrive after 6 was stored.
    expect(memory.isDuplicate("a", 5n)).toBe(true);
    expect(memory.isDuplicate("a", 6n)).toBe(true);
    expect(memory.isDuplicate("a", 7n)).toBe(false);
    expect(memory.isDuplicate("b", 5n)).toBe(false);
  });

  it("keeps a bounded window per agent", () => {
    const memory = new BatchSequenceMemory();
    for (let seq = 1n; seq <= BigInt(SEQUENCE_WINDOW) + 1n; seq++) memory.remember("a", seq);
    expect(memory.isDuplicate("a", 1n)).toBe(false);
    expect(memory.isDuplicate("a", 2n)).toBe(true);
    expect(memory.isDuplicate("a", BigInt(SEQUENCE_WINDOW) + 1n)).toBe(true);
  });

  it("never deduplicates sequence 0 (unset)", () => {
    const memory = new BatchSequenceMemory();
    memory.remember("a", 0n);
    expect(memory.isDuplicate("a", 0n)).toBe(false);
  });

  it("forgets a batch that could not be stored after all", () => {
    const memory = new BatchSequenceMemory();
    memory.remember("a", 1n);
    memory.remember("a", 2n);
    memory.forget("a", 1n);
    expect(memory.isDuplicate("a", 1n)).toBe(false);
    expect(memory.isDuplicate("a", 2n)).toBe(true);
  });

  it("forgets the least recently seen agent beyond its bound", () => {
    const memory = new BatchSequenceMemory(2);
    memory.remember("a", 1n);
    memory.remember("b", 1n);
    memory.remember("a", 2n);
    memory.remember("c", 1n);
    expect(memory.isDuplicate("b", 1n)).toBe(false);
    expect(memory.isDuplicate("a", 2n)).toBe(true);
    expect(memory.isDuplicate("c", 1n)).toBe(true);
  });
});
