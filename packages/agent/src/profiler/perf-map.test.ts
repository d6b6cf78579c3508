import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PerfMap } from "./perf-map.js";
import { SkipCounters } from "./skip-counters.js";

const text = readFileSync(new URL("./fixtures/node-perf.map", import.meta.url), "utf8");

describe("PerfMap", () => {
  it("reads V8's lines, counts each malformed one and keeps a partial last line for later", () => {
    const skips = new SkipCounters();
    const map = new PerfMap();
    const consumed = map.append(text, skips);
    expect(map.size).toBe(4);
    // "not a perf map line", "3ef0b0c4300" (no size or name), "zzzz …", a zero size.
    expect(skips.get("perf_map_malformed_line")).toBe(4);
    expect(consumed).toBe(text.lastIndexOf("\n") + 1);
    expect(map.lookup(0x3ef0b0c6000)).toBeUndefined();
    map.append(`${text.slice(consumed)}\n`, skips);
    expect(map.lookup(0x3ef0b0c6010)).toBe("JS:~partialLine");
  });

  it("finds the entry covering an address; code re-logged at the same start takes the later name", () => {
    const map = new PerfMap();
    map.append(text);
    expect(map.lookup(0x3ef0b0c4040)).toBe("JS:~spinHot file:///app/hot.js:3:17");
    expect(map.lookup(0x3ef0b0c4150)).toBe("JS:*spinHot moved file:///app/hot.js:3:17");
    expect(map.lookup(0x3ef0b0c5010)).toBe("Builtin:ArgumentsAdaptorTrampoline"); // 0x-prefixed form
    expect(map.lookup(0x3ef0b0c4230)).toBeUndefined(); // past the 0x120 bytes of the entry at 4100
    expect(map.lookup(0x1000)).toBeUndefined();
  });

  it("stops growing at its bound", () => {
    const map = new PerfMap(2);
    map.append(text);
    expect(map.size).toBe(2);
  });
});
