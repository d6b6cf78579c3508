import { describe, expect, it } from "vitest";
import { MAX_CACHED_POSITIONS, parsePositions, serializePositions } from "./positionCache";

describe("position cache", () => {
  it("round-trips positions, rounded to whole units", () => {
    const text = serializePositions(new Map(), new Map([["shop/cart", { x: 10.4, y: -20.6 }]]));
    expect(parsePositions(text)).toEqual(new Map([["shop/cart", { x: 10, y: -21 }]]));
  });

  it("keeps saved positions of services not on the map now; current ones win", () => {
    const saved = new Map([
      ["gone", { x: 1, y: 1 }],
      ["kept", { x: 2, y: 2 }],
    ]);
    const text = serializePositions(saved, new Map([["kept", { x: 9, y: 9 }]]));
    expect(parsePositions(text)).toEqual(
      new Map([
        ["gone", { x: 1, y: 1 }],
        ["kept", { x: 9, y: 9 }],
      ]),
    );
  });

  it("reads garbage as empty and skips bad entries", () => {
    expect(parsePositions(null).size).toBe(0);
    expect(parsePositions("{not json").size).toBe(0);
    expect(parsePositions("[1,2]").size).toBe(0);
    expect(parsePositions('{"a":[1,"x"],"b":[3,4],"c":[1,2,3]}')).toEqual(new Map([["b", { x: 3, y: 4 }]]));
  });

  it("caps the cache, dropping the oldest", () => {
    const many = new Map(
      Array.from({ length: MAX_CACHED_POSITIONS + 10 }, (_, i) => [`s${i}`, { x: i, y: 0 }]),
    );
    const parsed = parsePositions(serializePositions(new Map(), many));
    expect(parsed.size).toBe(MAX_CACHED_POSITIONS);
    expect(parsed.has("s0")).toBe(false);
    expect(parsed.has(`s${MAX_CACHED_POSITIONS + 9}`)).toBe(true);
  });
});
