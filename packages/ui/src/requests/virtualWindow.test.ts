import { describe, expect, it } from "vitest";
import { needsNextPage, virtualWindow } from "./virtualWindow";

describe("virtualWindow", () => {
  const base = { rowCount: 1000, rowHeight: 30, viewportHeight: 300, overscan: 5 };

  it("renders the first screen plus overscan at the top", () => {
    expect(virtualWindow({ ...base, scrollTop: 0 })).toEqual({
      start: 0,
      end: 16,
      padTop: 0,
      padBottom: 984 * 30,
    });
  });

  it("keeps total height constant while scrolled", () => {
    const w = virtualWindow({ ...base, scrollTop: 3000 });
    expect(w.start).toBe(95);
    expect(w.end).toBe(116);
    expect(w.padTop + (w.end - w.start) * 30 + w.padBottom).toBe(1000 * 30);
  });

  it("clamps past the end and handles an empty list", () => {
    const w = virtualWindow({ ...base, scrollTop: 1e9 });
    expect(w.end).toBe(1000);
    expect(w.padBottom).toBe(0);
    expect(virtualWindow({ ...base, rowCount: 0, scrollTop: 0 })).toEqual({
      start: 0,
      end: 0,
      padTop: 0,
      padBottom: 0,
    });
  });

  it("asks for the next page near the end of the loaded rows only", () => {
    expect(needsNextPage({ start: 0, end: 16, padTop: 0, padBottom: 0 }, 100, 20)).toBe(false);
    expect(needsNextPage({ start: 70, end: 85, padTop: 0, padBottom: 0 }, 100, 20)).toBe(true);
    expect(needsNextPage({ start: 0, end: 0, padTop: 0, padBottom: 0 }, 0, 20)).toBe(false);
  });
});
