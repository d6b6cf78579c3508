import { describe, expect, it } from "vitest";
import { BatchSequenceMemory } from "./batch-sequence-memory.js";

describe("BatchSequenceMemory", () => {
  it("flags only an exact repeat of the last stored batch", () => {
    const memory = new BatchSequenceMemory();
    memory.remember("a", 5n);
    expect(memory.isDuplicate("a", 5n)).toBe(true);
    expect(memory.isDuplicate("a", 6n)).toBe(false);
    // A restarted agent numbers from 1 again; that data must not be dropped.
    expect(memory.isDuplicate("a", 1n)).toBe(false);
    expect(memory.isDuplicate("b", 5n)).toBe(false);
  });

  it("never deduplicates sequence 0 (unset)", () => {
    const memory = new BatchSequenceMemory();
    memory.remember("a", 0n);
    expect(memory.isDuplicate("a", 0n)).toBe(false);
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
