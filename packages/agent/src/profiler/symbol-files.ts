// ELF symbol tables by file identity, bounded by the symbols held in total
// (least recently used files go first). A file is identified by its build id
// when it has one, so the same library in many containers is read once;
// stat's device+inode+mtime finds the entry without reading the file.

import { statSync } from "node:fs";
import { ElfError, type ElfSymbols, fileSource, readElfSymbols } from "./elf-reader.js";
import type { SkipCounters } from "./skip-counters.js";

export interface SymbolFilesOptions {
  /** Symbols held across all files. */
  maxSymbols: number;
  /** Files remembered, readable or not. */
  maxFiles?: number;
}

/** A file that could not be read is remembered too, so it is not retried every drain. */
type Entry = ElfSymbols | null;

export class SymbolFiles {
  private readonly byIdentity = new Map<string, Entry>();
  private readonly byBuildId = new Map<string, ElfSymbols>();
  private heldSymbols = 0;
  /** The slowest file read so far (benchmarks: what a cold drain waits on). */
  slowestRead = { path: "", ms: 0, symbols: 0 };

  constructor(
    private readonly options: SymbolFilesOptions,
    private readonly skips: SkipCounters,
  ) {}

  get symbols(): number {
    return this.heldSymbols;
  }

  get files(): number {
    return this.byIdentity.size;
  }

  /** Symbols of the file at `path` (already prefixed with /proc/PID/root), or null when unreadable. */
  /**
   * @param mayRead false: only what is cached; a file not read yet gives
   *   undefined (its frames stay module+offset until a later drain reads it).
   */
  get(path: string, mayRead = true): ElfSymbols | null | undefined {
    let identity: string;
    try {
      const stat = statSync(path, { bigint: true });
      identity = `${stat.dev}:${stat.ino}:${stat.mtimeNs}`;
    } catch {
      this.skips.add("elf_unreadable");
      return null;
    }
    const cached = this.byIdentity.get(identity);
    if (cached !== undefined) {
      this.byIdentity.delete(identity); // most recently used last
      this.byIdentity.set(identity, cached);
      return cached;
    }
    if (!mayRead) {
      this.skips.add("symbols_deferred");
      return undefined;
    }
    const symbols = this.read(path);
    const shared =
      symbols !== null && symbols.buildId !== "" ? this.byBuildId.get(symbols.buildId) : undefined;
    const entry = shared ?? symbols;
    this.byIdentity.set(identity, entry);
    if (entry !== null && shared === undefined) {
      if (entry.buildId !== "") this.byBuildId.set(entry.buildId, entry);
      this.heldSymbols += entry.symbols.starts.length;
    }
    this.evict();
    return entry;
  }

  private read(path: string): ElfSymbols | null {
    let source: ReturnType<typeof fileSource> | undefined;
    const started = performance.now();
    try {
      source = fileSource(path);
      const symbols = readElfSymbols(source, this.options.maxSymbols);
      const ms = performance.now() - started;
      if (ms > this.slowestRead.ms) this.slowestRead = { path, ms, symbols: symbols.symbols.starts.length };
      if (symbols.symbols.starts.length === 0) this.skips.add("elf_no_symbols");
      return symbols;
    } catch (error) {
      if (error instanceof ElfError) this.skips.add(`elf_${error.reason}`);
      else this.skips.add("elf_unreadable");
      return null;
    } finally {
      source?.close();
    }
  }

  private evict(): void {
    const maxFiles = this.options.maxFiles ?? 4096;
    for (const [identity, entry] of this.byIdentity) {
      if (this.heldSymbols <= this.options.maxSymbols && this.byIdentity.size <= maxFiles) return;
      this.byIdentity.delete(identity);
      if (entry === null) continue;
      // Other identities may share it by build id; it is freed when none refers to it.
      if ([...this.byIdentity.values()].includes(entry)) continue;
      this.heldSymbols -= entry.symbols.starts.length;
      if (entry.buildId !== "") this.byBuildId.delete(entry.buildId);
    }
  }
}
