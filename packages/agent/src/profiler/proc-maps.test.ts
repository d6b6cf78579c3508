import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findMapping, parseExecutableMappings } from "./proc-maps.js";

const mappings = parseExecutableMappings(
  readFileSync(new URL("./fixtures/proc-maps.txt", import.meta.url), "utf8"),
);

describe("parseExecutableMappings", () => {
  it("keeps executable mappings, anonymous JIT memory and paths with spaces included, not vsyscall above 2^53", () => {
    expect(mappings.map((m) => m.path)).toEqual([
      "/usr/local/bin/hot-functions",
      "",
      "/usr/lib/x86_64-linux-gnu/libc.so.6",
      "/opt/app/lib with space.so (deleted)",
      "[vdso]",
    ]);
    expect(mappings[0]).toMatchObject({ start: 0x401000, end: 0x402000, offset: 0x1000, inode: 1234 });
  });

  it("finds the mapping containing an address", () => {
    expect(findMapping(mappings, 0x401030)?.path).toBe("/usr/local/bin/hot-functions");
    expect(findMapping(mappings, 0x3ef0b0c4100)?.path).toBe("");
    expect(findMapping(mappings, 0x400010)).toBeUndefined(); // not executable
    expect(findMapping(mappings, 0x7f3a1c200000)).toBeUndefined(); // end is exclusive
  });
});
