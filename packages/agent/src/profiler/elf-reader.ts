// A minimal ELF64 little-endian reader: function symbols of .symtab and
// .dynsym, the PT_LOAD segments (to turn a file offset into the address the
// symbols use) and the GNU build id. It reads through a ByteSource so only the
// headers and symbol sections of a large binary are read, never the whole file.
// Anything it cannot read is an ElfError naming why; callers count it.

import { closeSync, fstatSync, openSync, readSync } from "node:fs";

export type ElfErrorReason = "not_elf" | "unsupported" | "truncated";

export class ElfError extends Error {
  constructor(
    readonly reason: ElfErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset`; ElfError("truncated") past the end. */
  read(offset: number, length: number): Buffer;
}

export function bufferSource(buffer: Buffer): ByteSource {
  return {
    size: buffer.length,
    read(offset, length) {
      if (offset < 0 || length < 0 || offset + length > buffer.length) {
        throw new ElfError(
          "truncated",
          `read of ${length} bytes at ${offset} past the end (${buffer.length} bytes)`,
        );
      }
      return buffer.subarray(offset, offset + length);
    },
  };
}

/** Reads `path` on demand; close() releases the descriptor. */
export function fileSource(path: string): ByteSource & { close(): void } {
  const fd = openSync(path, "r");
  const size = fstatSync(fd).size;
  return {
    size,
    read(offset, length) {
      if (offset < 0 || length < 0 || offset + length > size) {
        throw new ElfError("truncated", `read of ${length} bytes at ${offset} past the end (${size} bytes)`);
      }
      const out = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw new ElfError("truncated", `file ended at ${offset + done}`);
        done += n;
      }
      return out;
    },
    close() {
      closeSync(fd);
    },
  };
}

export interface LoadSegment {
  fileOffset: number;
  fileSize: number;
  vaddr: number;
}

/** Function symbols sorted by address; size 0 means "up to the next symbol". */
export interface SymbolTable {
  starts: Float64Array;
  sizes: Float64Array;
  /** Name offsets into strings[tableOf[i]]. */
  nameAts: Uint32Array;
  tableOf: Uint8Array;
  strings: Buffer[];
}

export interface ElfSymbols {
  buildId: string;
  segments: LoadSegment[];
  symbols: SymbolTable;
  /** A .symtab was read (not only .dynsym): a stripped file has none, and its debug file may. */
  hasSymtab: boolean;
  /** .gnu_debuglink: the separate debug file's name and the CRC-32 of its contents. */
  debugLink?: { name: string; crc: number };
}

const SHT_SYMTAB = 2;
const SHT_NOTE = 7;
const SHT_DYNSYM = 11;
const PT_LOAD = 1;
const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
const NT_GNU_BUILD_ID = 3;
/** Which of several names at one address is shown: STB_GLOBAL (1), then STB_WEAK (2), then STB_LOCAL (0). */
const BINDING_RANK: Record<number, number> = { 1: 0, 2: 1, 0: 2 };
/** A symbol section beyond this is not read (a debug build of a browser): the file is named by offset. */
const MAX_SECTION_BYTES = 256 * 2 ** 20;

function u64(buffer: Buffer, at: number, what: string): number {
  // Two 32-bit halves: a BigInt per field was most of the time spent on a
  // library's 100k symbols.
  const high = buffer.readUInt32LE(at + 4);
  if (high >= 0x200000) throw new ElfError("unsupported", `${what} above 2^53`);
  return high * 0x1_0000_0000 + buffer.readUInt32LE(at);
}

interface Section {
  nameAt: number;
  type: number;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

interface ElfLayout {
  buildId: string;
  segments: LoadSegment[];
  sections: Section[];
  debugLink: { name: string; crc: number } | undefined;
}

/** Headers, PT_LOAD segments, sections, build id and debug link: a few small reads. */
function readElfLayout(source: ByteSource): ElfLayout {
  if (source.size < 64) {
    if (source.size >= 4 && source.read(0, 4).toString("latin1") === "\x7fELF") {
      throw new ElfError("truncated", `ELF header cut at ${source.size} bytes`);
    }
    throw new ElfError("not_elf", "no ELF magic");
  }
  const header = source.read(0, 64);
  if (header.toString("latin1", 0, 4) !== "\x7fELF") throw new ElfError("not_elf", "no ELF magic");
  if (header[4] !== 2) throw new ElfError("unsupported", "not ELF64");
  if (header[5] !== 1) throw new ElfError("unsupported", "not little-endian");
  const phoff = u64(header, 32, "e_phoff");
  const shoff = u64(header, 40, "e_shoff");
  const phentsize = header.readUInt16LE(54);
  const phnum = header.readUInt16LE(56);
  const shentsize = header.readUInt16LE(58);
  const shnum = header.readUInt16LE(60);

  const segments: LoadSegment[] = [];
  if (phnum > 0) {
    if (phentsize < 56) throw new ElfError("unsupported", `program header entry of ${phentsize} bytes`);
    const table = source.read(phoff, phentsize * phnum);
    for (let i = 0; i < phnum; i++) {
      const at = i * phentsize;
      if (table.readUInt32LE(at) !== PT_LOAD) continue;
      segments.push({
        fileOffset: u64(table, at + 8, "p_offset"),
        vaddr: u64(table, at + 16, "p_vaddr"),
        fileSize: u64(table, at + 32, "p_filesz"),
      });
    }
  }

  const sections: Section[] = [];
  if (shnum > 0) {
    if (shentsize < 64) throw new ElfError("unsupported", `section header entry of ${shentsize} bytes`);
    const table = source.read(shoff, shentsize * shnum);
    for (let i = 0; i < shnum; i++) {
      const at = i * shentsize;
      sections.push({
        nameAt: table.readUInt32LE(at),
        type: table.readUInt32LE(at + 4),
        offset: u64(table, at + 24, "sh_offset"),
        size: u64(table, at + 32, "sh_size"),
        link: table.readUInt32LE(at + 40),
        entsize: u64(table, at + 56, "sh_entsize"),
      });
    }
  }

  const debugLink = debugLinkOf(source, sections, header.readUInt16LE(62));

  let buildId = "";
  for (const section of sections) {
    if (section.type !== SHT_NOTE || section.size > 4096) continue;
    buildId = buildIdOf(source.read(section.offset, section.size)) || buildId;
    if (buildId !== "") break;
  }

  return { buildId, segments, sections, debugLink };
}

/** The file's GNU build id ("" if none) without reading its symbols. */
export function readElfBuildId(source: ByteSource): string {
  return readElfLayout(source).buildId;
}

export function readElfSymbols(source: ByteSource, maxSymbols = 1_000_000): ElfSymbols {
  const { buildId, segments, sections, debugLink } = readElfLayout(source);

  // Typed arrays and name offsets, not an object and a string per symbol: a
  // binary's 80k symbols took seconds on a loaded machine that way. Names
  // are decoded when a lookup finds one (symbolName).
  let count = 0;
  let starts = new Float64Array(1024);
  let sizes = new Float64Array(1024);
  let nameAts = new Uint32Array(1024);
  let tableOf = new Uint8Array(1024);
  let ranks = new Uint8Array(1024);
  const stringTables: Buffer[] = [];
  let hasSymtab = false;
  const grow = () => {
    const next = starts.length * 2;
    const more = <T extends Float64Array | Uint32Array | Uint8Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    starts = more(starts, new Float64Array(next));
    sizes = more(sizes, new Float64Array(next));
    nameAts = more(nameAts, new Uint32Array(next));
    tableOf = more(tableOf, new Uint8Array(next));
    ranks = more(ranks, new Uint8Array(next));
  };
  // .symtab first: it holds the local functions .dynsym leaves out.
  for (const wanted of [SHT_SYMTAB, SHT_DYNSYM]) {
    for (const section of sections) {
      if (section.type !== wanted) continue;
      const strings = sections[section.link];
      if (strings === undefined) throw new ElfError("unsupported", "symbol section links to no string table");
      if (section.size > MAX_SECTION_BYTES || strings.size > MAX_SECTION_BYTES) continue;
      const entsize = section.entsize || 24;
      if (entsize < 24) throw new ElfError("unsupported", `symbol entry of ${entsize} bytes`);
      if (wanted === SHT_SYMTAB && section.size >= 48) hasSymtab = true; // more than the null entry
      const symbols = source.read(section.offset, section.size);
      const names = source.read(strings.offset, strings.size);
      const tableIndex = stringTables.length;
      let used = false;
      for (let at = 0; at + 24 <= symbols.length && count < maxSymbols; at += entsize) {
        const type = (symbols[at + 4] as number) & 0xf;
        if (type !== STT_FUNC && type !== STT_GNU_IFUNC) continue;
        if (symbols.readUInt16LE(at + 6) === 0) continue; // undefined: lives in another file
        const start = u64(symbols, at + 8, "st_value");
        if (start === 0) continue;
        const nameAt = symbols.readUInt32LE(at);
        if (nameAt >= names.length)
          throw new ElfError("truncated", `symbol name at ${nameAt} past its string table`);
        if (names[nameAt] === 0) continue; // no name
        if (count === starts.length) grow();
        starts[count] = start;
        sizes[count] = u64(symbols, at + 16, "st_size");
        nameAts[count] = nameAt;
        tableOf[count] = tableIndex;
        ranks[count] = BINDING_RANK[(symbols[at + 4] as number) >> 4] ?? 3;
        count++;
        used = true;
      }
      if (used) stringTables.push(names);
    }
  }
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort(
    (a, b) =>
      (starts[a] as number) - (starts[b] as number) ||
      (ranks[a] as number) - (ranks[b] as number) ||
      (sizes[b] as number) - (sizes[a] as number),
  );
  const table: SymbolTable = {
    starts: new Float64Array(count),
    sizes: new Float64Array(count),
    nameAts: new Uint32Array(count),
    tableOf: new Uint8Array(count),
    strings: stringTables,
  };
  let kept = 0;
  for (const i of order) {
    // .symtab and .dynsym repeat exported functions, and aliases share a start: keep one per
    // start, the global or weak name (getppid) before local aliases (__GI___getppid).
    if (kept > 0 && table.starts[kept - 1] === starts[i]) continue;
    table.starts[kept] = starts[i] as number;
    table.sizes[kept] = sizes[i] as number;
    table.nameAts[kept] = nameAts[i] as number;
    table.tableOf[kept] = tableOf[i] as number;
    kept++;
  }
  return {
    buildId,
    segments,
    hasSymtab,
    ...(debugLink === undefined ? {} : { debugLink }),
    symbols: {
      starts: table.starts.slice(0, kept),
      sizes: table.sizes.slice(0, kept),
      nameAts: table.nameAts.slice(0, kept),
      tableOf: table.tableOf.slice(0, kept),
      strings: stringTables,
    },
  };
}

/** The name of symbol i, decoded from its string table. */
export function symbolName(table: SymbolTable, i: number): string {
  const strings = table.strings[table.tableOf[i] as number] as Buffer;
  const at = table.nameAts[i] as number;
  const end = strings.indexOf(0, at);
  return strings.toString("utf8", at, end === -1 ? strings.length : end);
}

/** Every name, in address order (tests). */
export function symbolNames(table: SymbolTable): string[] {
  return Array.from(table.starts, (_, i) => symbolName(table, i));
}

/**
 * .gnu_debuglink (GDB manual, "Debugging Information in Separate Files"): the
 * debug file's name, NUL-terminated and padded to 4 bytes, then its CRC-32.
 */
function debugLinkOf(
  source: ByteSource,
  sections: readonly Section[],
  namesIndex: number,
): { name: string; crc: number } | undefined {
  const names = sections[namesIndex];
  if (names === undefined || names.size === 0 || names.size > MAX_SECTION_BYTES) return undefined;
  const table = source.read(names.offset, names.size);
  for (const section of sections) {
    if (section.nameAt >= table.length || section.size < 8 || section.size > 4096) continue;
    const end = table.indexOf(0, section.nameAt);
    if (table.toString("latin1", section.nameAt, end === -1 ? table.length : end) !== ".gnu_debuglink")
      continue;
    const body = source.read(section.offset, section.size);
    const nameEnd = body.indexOf(0);
    const crcAt = align4(nameEnd + 1);
    // A name with a slash would leave the debug directories: not a link this reader follows.
    if (nameEnd <= 0 || crcAt + 4 > body.length) return undefined;
    const name = body.toString("utf8", 0, nameEnd);
    if (name.includes("/") || name === "." || name === "..") return undefined;
    return { name, crc: body.readUInt32LE(crcAt) };
  }
  return undefined;
}

function buildIdOf(notes: Buffer): string {
  let at = 0;
  while (at + 12 <= notes.length) {
    const nameSize = notes.readUInt32LE(at);
    const descSize = notes.readUInt32LE(at + 4);
    const type = notes.readUInt32LE(at + 8);
    const nameAt = at + 12;
    const descAt = nameAt + align4(nameSize);
    if (descAt + descSize > notes.length) return "";
    if (type === NT_GNU_BUILD_ID && notes.toString("latin1", nameAt, nameAt + nameSize) === "GNU\0") {
      return notes.toString("hex", descAt, descAt + descSize);
    }
    at = descAt + align4(descSize);
  }
  return "";
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

/** The address symbols use for a file offset (inside a PT_LOAD segment), or undefined. */
export function fileOffsetToVaddr(segments: readonly LoadSegment[], offset: number): number | undefined {
  for (const segment of segments) {
    if (offset >= segment.fileOffset && offset < segment.fileOffset + segment.fileSize) {
      return offset - segment.fileOffset + segment.vaddr;
    }
  }
  return undefined;
}

/** The function containing vaddr; a sized symbol must cover it, an unsized one is taken up to the next. */
export function lookupSymbol(table: SymbolTable, vaddr: number): string | undefined {
  const found = lookupSymbolIndex(table, vaddr);
  return found === -1 ? undefined : symbolName(table, found);
}

/** The index of the function containing vaddr (see lookupSymbol), or -1. */
export function lookupSymbolIndex(table: SymbolTable, vaddr: number): number {
  let low = 0;
  let high = table.starts.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if ((table.starts[mid] as number) <= vaddr) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  if (found === -1) return -1;
  const size = table.sizes[found] as number;
  if (size > 0 && vaddr >= (table.starts[found] as number) + size) return -1;
  return found;
}
