// ELF symbol tables by file identity, bounded by the symbols held in total
// (least recently used files go first). A file is identified by its build id
// when it has one, so the same library in many containers is read once;
// stat's device+inode+mtime finds the entry without reading the file. Reads
// go through a SymbolLoader: on the agent a worker thread, so a miss answers
// "not yet" at once and the file's symbols are there for a later drain.

import { statSync } from "node:fs";
import type { ElfSymbols } from "./elf-reader.js";
import type { SkipCounters } from "./skip-counters.js";
import type { SymbolFileRequest } from "./symbol-file-loader.js";
import type { SymbolLoader } from "./symbol-loader.js";

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
  private readonly loading = new Set<string>();
  private heldSymbols = 0;
  /** The slowest file read so far (benchmarks: what a load costs the worker). */
  slowestRead = { path: "", ms: 0, symbols: 0 };
  /** Files whose symbols came from a separate debug file. */
  debugFilesUsed = 0;
  /** Loads answered, and the time the loader spent on them (on the agent: the worker thread's). */
  loads = { count: 0, ms: 0 };

  constructor(
    private readonly options: SymbolFilesOptions,
    private readonly skips: SkipCounters,
    private readonly loader: SymbolLoader,
  ) {}

  get symbols(): number {
    return this.heldSymbols;
  }

  get files(): number {
    return this.byIdentity.size;
  }

  /**
   * Symbols of the file (request.path is already under /proc/PID/root), null
   * when it has none readable, undefined while its load is under way.
   */
  get(request: Omit<SymbolFileRequest, "maxSymbols">): ElfSymbols | null | undefined {
    let identity: string;
    try {
      const stat = statSync(request.path, { bigint: true });
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
    if (!this.loading.has(identity)) {
      this.loading.add(identity);
      this.load(identity, { ...request, maxSymbols: this.options.maxSymbols });
    }
    const loaded = this.byIdentity.get(identity); // an inline loader has answered already
    if (loaded !== undefined) return loaded;
    this.skips.add("symbols_pending");
    return undefined;
  }

  private load(identity: string, request: SymbolFileRequest): void {
    this.loader.loadFile(request, (result) => {
      this.loads.count++;
      this.loads.ms += result.ms;
      for (const reason of result.skips) this.skips.add(reason);
      if (result.ok === "same-build") {
        const shared = this.byBuildId.get(result.buildId);
        // Read before but evicted since: read it after all.
        if (shared === undefined) this.load(identity, { ...request, reuseBuildId: false });
        else {
          this.loading.delete(identity);
          this.store(identity, shared);
        }
        return;
      }
      this.loading.delete(identity);
      if (!result.ok) {
        this.skips.add(result.reason);
        this.store(identity, null);
        return;
      }
      if (result.ms > this.slowestRead.ms) {
        this.slowestRead = {
          path: request.path,
          ms: result.ms,
          symbols: result.symbols.symbols.starts.length,
        };
      }
      if (result.debugFile !== "") this.debugFilesUsed++;
      this.store(identity, result.symbols);
    });
  }

  private store(identity: string, symbols: Entry): void {
    const shared =
      symbols !== null && symbols.buildId !== "" ? this.byBuildId.get(symbols.buildId) : undefined;
    const entry = shared ?? symbols;
    this.byIdentity.set(identity, entry);
    if (entry !== null && shared === undefined) {
      if (entry.buildId !== "") this.byBuildId.set(entry.buildId, entry);
      this.heldSymbols += entry.symbols.starts.length;
    }
    this.evict();
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
