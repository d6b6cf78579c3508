import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  bufferSource,
  ElfError,
  fileOffsetToVaddr,
  lookupSymbol,
  readElfSymbols,
  symbolNames,
} from "./elf-reader.js";

// Built from fixtures/hot-functions.c (the command is in its header).
const elf = readFileSync(new URL("./fixtures/hot-functions.elf", import.meta.url));

function reasonOf(bytes: Buffer): string {
  try {
    readElfSymbols(bufferSource(bytes));
  } catch (error) {
    if (error instanceof ElfError) return error.reason;
    throw error;
  }
  return "read";
}

describe("readElfSymbols", () => {
  const read = readElfSymbols(bufferSource(elf));

  it("lists the file's functions, local ones from .symtab included, and its build id", () => {
    expect(symbolNames(read.symbols)).toEqual(["cold_helper", "hot_spin", "_start"]);
    expect(read.buildId).toBe("3838467d09c2de6c5ee4ef84bc2371ce6a3d0323");
  });

  it("names the function containing an address inside it, and none past a sized symbol's end", () => {
    // nm: cold_helper 0x401000, hot_spin 0x401020, _start 0x401051.
    expect(lookupSymbol(read.symbols, 0x401030)).toBe("hot_spin");
    expect(lookupSymbol(read.symbols, 0x401000)).toBe("cold_helper");
    expect(lookupSymbol(read.symbols, 0x3fffff)).toBeUndefined();
    expect(lookupSymbol(read.symbols, 0x402000)).toBeUndefined();
  });

  it("turns a file offset into the address symbols use through the PT_LOAD segments", () => {
    // The text segment: file offset 0x1000 loads at 0x401000.
    expect(fileOffsetToVaddr(read.segments, 0x1030)).toBe(0x401030);
    expect(fileOffsetToVaddr(read.segments, 0x10_0000)).toBeUndefined();
  });

  it("says why it cannot read a truncated file, a non-ELF file or a 32-bit one, without crashing", () => {
    expect(reasonOf(elf.subarray(0, 40))).toBe("truncated");
    expect(reasonOf(elf.subarray(0, 0x2100))).toBe("truncated"); // section headers cut off
    expect(reasonOf(readFileSync(new URL("./fixtures/kallsyms.txt", import.meta.url)))).toBe("not_elf");
    expect(reasonOf(Buffer.alloc(0))).toBe("not_elf");
    const elf32 = Buffer.from(elf);
    elf32[4] = 1;
    expect(reasonOf(elf32)).toBe("unsupported");
  });

  it("refuses a symbol whose name lies past its string table", () => {
    const broken = Buffer.from(elf);
    // .symtab starts at 0x20a0 (readelf -S); point hot_spin's st_name (st_value 0x401020) past the end.
    let at = 0x20a0;
    while (broken.readBigUInt64LE(at + 8) !== 0x401020n) at += 24;
    broken.writeUInt32LE(0x7fffffff, at);
    expect(reasonOf(broken)).toBe("truncated");
  });
});
