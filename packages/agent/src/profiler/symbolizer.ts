// Addresses to frame names. Kernel: /proc/kallsyms. User: the process's
// perf map (Node JIT code) first, then the ELF file mapped at the address,
// read through /proc/PID/root so a container's files resolve; anything else
// is "module+0xoffset" or "[unknown]". Every cache here is bounded.

import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { basename } from "node:path";
import { type ElfSymbols, fileOffsetToVaddr, lookupSymbol } from "./elf-reader.js";
import { KernelSymbols } from "./kallsyms.js";
import { PerfMap } from "./perf-map.js";
import { findMapping, type Mapping, parseExecutableMappings } from "./proc-maps.js";
import { SkipCounters } from "./skip-counters.js";
import { SymbolFiles } from "./symbol-files.js";

export interface SymbolizerOptions {
  /** /proc, or a directory shaped like it (tests). */
  procRoot?: string;
  kallsymsPath?: string;
  maxSymbols?: number;
  maxPerfMaps?: number;
  maxPerfMapEntries?: number;
  /**
   * Time one drain may spend reading symbol files it has not read before;
   * the rest wait for the next drain. Keeps a cold start (hundreds of
   * libraries) from holding the agent's event loop for seconds.
   */
  fileReadBudgetMs?: number;
}

export interface FrameName {
  name: string;
  /** False when only a module+offset or [unknown] was found. */
  symbolized: boolean;
}

/** One process's view for one drain: its mappings are read once per drain. */
export interface ProcessView {
  pid: number;
  mappings: Mapping[] | undefined;
  perfMap: PerfMap | undefined;
  /** Each mapped file's symbols, looked up (stat and all) once per drain, failures included. */
  files: Map<string, ElfSymbols | null>;
}

export class Symbolizer {
  readonly skips = new SkipCounters();
  private kernel: KernelSymbols | undefined;
  private readonly files: SymbolFiles;
  private readonly perfMaps = new Map<number, PerfMap>();
  private readonly procRoot: string;
  private readDeadline = Number.POSITIVE_INFINITY;

  constructor(private readonly options: SymbolizerOptions = {}) {
    this.procRoot = options.procRoot ?? "/proc";
    this.files = new SymbolFiles({ maxSymbols: options.maxSymbols ?? 2_000_000 }, this.skips);
  }

  /** The slowest symbol file read so far. */
  slowestFileRead(): { path: string; ms: number; symbols: number } {
    return this.files.slowestRead;
  }

  /** Sizes of what is cached, for the benchmark and the agent's stats. */
  cacheSizes(): {
    kernelSymbols: number;
    fileSymbols: number;
    files: number;
    perfMaps: number;
    perfMapEntries: number;
  } {
    let perfMapEntries = 0;
    for (const map of this.perfMaps.values()) perfMapEntries += map.size;
    return {
      kernelSymbols: this.kernel?.size ?? 0,
      fileSymbols: this.files.symbols,
      files: this.files.files,
      perfMaps: this.perfMaps.size,
      perfMapEntries,
    };
  }

  /** Starts a drain's budget for reading new symbol files. */
  beginDrain(): void {
    this.readDeadline = performance.now() + (this.options.fileReadBudgetMs ?? 200);
  }

  kernelFrame(address: bigint): FrameName {
    this.kernel ??= KernelSymbols.load(this.options.kallsymsPath ?? `${this.procRoot}/kallsyms`, this.skips);
    const name = this.kernel.lookup(address);
    return name === undefined
      ? { name: `[kernel 0x${address.toString(16)}]`, symbolized: false }
      : { name, symbolized: true };
  }

  /** Reads what a drain needs of process `pid` (mappings, perf map growth). */
  process(pid: number): ProcessView {
    let mappings: Mapping[] | undefined;
    try {
      mappings = parseExecutableMappings(readFileSync(`${this.procRoot}/${pid}/maps`, "utf8"));
    } catch {
      this.skips.add("maps_unreadable"); // exited since the sample, or no permission
    }
    return { pid, mappings, perfMap: this.refreshPerfMap(pid), files: new Map() };
  }

  userFrame(view: ProcessView, address: bigint): FrameName {
    const at = Number(address);
    const jit = view.perfMap?.lookup(at);
    if (jit !== undefined) return { name: jit, symbolized: true };
    const mapping = view.mappings === undefined ? undefined : findMapping(view.mappings, at);
    if (mapping === undefined) return { name: "[unknown]", symbolized: false };
    const offset = at - mapping.start + mapping.offset;
    const module = mapping.path === "" ? "[anon]" : basename(mapping.path.replace(/ \(deleted\)$/, ""));
    if (mapping.path.startsWith("/")) {
      let symbols = view.files.get(mapping.path);
      if (symbols === undefined) {
        // A file deleted since it was mapped (an upgraded binary) is still reachable through map_files.
        const path = mapping.path.endsWith(" (deleted)")
          ? `${this.procRoot}/${view.pid}/map_files/${mapping.start.toString(16)}-${mapping.end.toString(16)}`
          : `${this.procRoot}/${view.pid}/root${mapping.path}`;
        const found = this.files.get(path, performance.now() < this.readDeadline);
        symbols = found ?? null;
        view.files.set(mapping.path, symbols);
      }
      const vaddr = symbols === null ? undefined : fileOffsetToVaddr(symbols.segments, offset);
      const name = symbols === null || vaddr === undefined ? undefined : lookupSymbol(symbols.symbols, vaddr);
      if (name !== undefined) return { name, symbolized: true };
    }
    return { name: `${module}+0x${offset.toString(16)}`, symbolized: false };
  }

  /** Drops per-process state of processes not seen in the last drain. */
  retain(pids: ReadonlySet<number>): void {
    for (const pid of this.perfMaps.keys()) if (!pids.has(pid)) this.perfMaps.delete(pid);
  }

  private refreshPerfMap(pid: number): PerfMap | undefined {
    // The process writes the map in its own /tmp: inside its container, so through its root.
    const path = `${this.procRoot}/${pid}/root/tmp/perf-${pid}.map`;
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch {
      return undefined; // no perf map: not a JIT runtime that writes one
    }
    try {
      const size = fstatSync(fd).size;
      let map = this.perfMaps.get(pid);
      if (map === undefined || size < map.parsedBytes) {
        map = new PerfMap(this.options.maxPerfMapEntries ?? 200_000);
        if (this.perfMaps.size >= (this.options.maxPerfMaps ?? 256)) {
          const oldest = this.perfMaps.keys().next().value;
          if (oldest !== undefined) this.perfMaps.delete(oldest);
        }
        this.perfMaps.set(pid, map);
      }
      if (size > map.parsedBytes) {
        const chunk = Buffer.allocUnsafe(size - map.parsedBytes);
        const read = readSync(fd, chunk, 0, chunk.length, map.parsedBytes);
        map.append(chunk.toString("utf8", 0, read), this.skips);
      }
      return map;
    } catch {
      this.skips.add("perf_map_unreadable");
      return this.perfMaps.get(pid);
    } finally {
      closeSync(fd);
    }
  }
}
