// Addresses to frame names. Kernel: /proc/kallsyms. User: the process's
// perf map (Node JIT code) first, then the ELF file mapped at the address (or
// its separate debug file), read through /proc/PID/root so a container's files
// resolve; C++ names demangled; anything else is "module+0xoffset" or
// "[unknown]". Every cache here is bounded.
//
// What a drain costs is what it repeats, so a process's state outlives the
// drain: its mappings are read when it is first sampled and again only when
// an address falls outside them (a library loaded since), its file-backed
// frames keep their names, and a pid is known to be the same process by its
// start time. Symbol files are read by the SymbolLoader (a worker thread on
// the agent): a miss names the frame module+offset for now, never waits.

import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { basename } from "node:path";
import { demangle } from "./demangle.js";
import { type ElfSymbols, fileOffsetToVaddr, lookupSymbolIndex, symbolName } from "./elf-reader.js";
import { KernelSymbols } from "./kallsyms.js";
import { PerfMap } from "./perf-map.js";
import { findMapping, type Mapping, parseExecutableMappings } from "./proc-maps.js";
import { SkipCounters } from "./skip-counters.js";
import { SymbolFiles } from "./symbol-files.js";
import { InlineSymbolLoader, type SymbolLoader } from "./symbol-loader.js";

export interface SymbolizerOptions {
  /** /proc, or a directory shaped like it (tests). */
  procRoot?: string;
  kallsymsPath?: string;
  maxSymbols?: number;
  maxPerfMapEntries?: number;
  /** Processes whose state is kept between drains. */
  maxProcesses?: number;
  /** Names kept per process between drains. */
  maxNamesPerProcess?: number;
  /** Reads symbol files and kallsyms; default inline (tests). The agent passes a WorkerSymbolLoader. */
  loader?: SymbolLoader;
}

export interface FrameName {
  name: string;
  /** False when only a module+offset or [unknown] was found. */
  symbolized: boolean;
  /**
   * The name will not change while the process's maps and perf map stay as
   * read (ProcessView.version): false while the file is still being read.
   */
  final?: boolean;
}

/** One process as the symbolizer knows it, kept across drains while its pid is the same process. */
export interface ProcessView {
  pid: number;
  /** /proc/PID/stat's start time and command; "" when unreadable (the view is then not kept). */
  startTime: string;
  /** True in the drain that first read this process (a new process, or a pid reused). */
  fresh: boolean;
  mappings: Mapping[] | undefined;
  mapsReadAtDrain: number;
  perfMap: PerfMap | undefined;
  /** Each mapped file's symbols (null: none to be had); a file still loading is absent. */
  files: Map<string, ElfSymbols | null>;
  /** Files found loading, with the drain that asked: asked again next drain, not per frame. */
  loading: Map<string, number>;
  /** Names of file-backed addresses (user space: below 2^53, so numbers), final once found. */
  names: Map<number, FrameName>;
  lastSeenDrain: number;
}

/**
 * What a process's frame names depend on besides its files: the maps read and
 * the perf map's length. The same stack under the same version names alike.
 */
export function viewVersion(view: ProcessView | undefined): string {
  return view === undefined
    ? ""
    : `${view.startTime}/${view.mapsReadAtDrain}/${view.perfMap?.parsedBytes ?? 0}`;
}

/** A process not sampled for this many drains is forgotten (its pid may be reused meanwhile). */
const FORGET_AFTER_DRAINS = 6;
/** An address outside every known mapping re-reads the maps at most this often (garbage frame pointers miss forever). */
const MAPS_REREAD_EVERY_DRAINS = 3;

export class Symbolizer {
  readonly skips = new SkipCounters();
  private kernel: KernelSymbols | undefined;
  private kernelLoading: Promise<void> | undefined;
  private readonly files: SymbolFiles;
  private readonly processes = new Map<number, ProcessView>();
  private readonly procRoot: string;
  private readonly loader: SymbolLoader;
  private drain = 0;
  /** Readable function names by symbol index, per file's symbols (freed with them). */
  private readonly functionNames = new WeakMap<ElfSymbols, Map<number, string>>();

  constructor(private readonly options: SymbolizerOptions = {}) {
    this.procRoot = options.procRoot ?? "/proc";
    this.loader = options.loader ?? new InlineSymbolLoader();
    this.files = new SymbolFiles({ maxSymbols: options.maxSymbols ?? 2_000_000 }, this.skips, this.loader);
  }

  /** The slowest symbol file read so far. */
  slowestFileRead(): { path: string; ms: number; symbols: number } {
    return this.files.slowestRead;
  }

  /** Symbol files read so far and the time spent reading them (off the event loop on the agent). */
  fileLoads(): { count: number; ms: number } {
    return { ...this.files.loads };
  }

  /** Symbol files and kallsyms asked for and not read yet. */
  pendingLoads(): number {
    return this.loader.pending;
  }

  /** Sizes of what is cached, for the benchmark and the agent's stats. */
  cacheSizes(): {
    kernelSymbols: number;
    fileSymbols: number;
    files: number;
    debugFiles: number;
    processes: number;
    perfMapEntries: number;
    frameNames: number;
  } {
    let perfMapEntries = 0;
    let frameNames = 0;
    for (const view of this.processes.values()) {
      perfMapEntries += view.perfMap?.size ?? 0;
      frameNames += view.names.size;
    }
    return {
      kernelSymbols: this.kernel?.size ?? 0,
      fileSymbols: this.files.symbols,
      files: this.files.files,
      debugFiles: this.files.debugFilesUsed,
      processes: this.processes.size,
      perfMapEntries,
      frameNames,
    };
  }

  /** Starts reading kallsyms (the agent does at start, so the first drain has kernel names). */
  loadKernelSymbols(): Promise<void> {
    this.kernelLoading ??= new Promise((resolve) => {
      this.loader.loadKernel(this.options.kallsymsPath ?? `${this.procRoot}/kallsyms`, (result) => {
        for (const [reason, n] of result.skips) this.skips.add(reason, n);
        this.kernel = KernelSymbols.fromTransfer(result.table);
        resolve();
      });
    });
    return this.kernelLoading;
  }

  /** Starts a drain. */
  beginDrain(): void {
    this.drain++;
  }

  /** Ends a drain: processes not sampled lately are forgotten. */
  endDrain(): void {
    for (const [pid, view] of this.processes) {
      if (this.drain - view.lastSeenDrain >= FORGET_AFTER_DRAINS) this.processes.delete(pid);
    }
  }

  close(): void {
    this.loader.close();
  }

  kernelFrame(address: bigint): FrameName {
    if (this.kernel === undefined) void this.loadKernelSymbols();
    const name = this.kernel?.lookup(address);
    if (name !== undefined) return { name, symbolized: true };
    if (this.kernel === undefined) this.skips.add("symbols_pending");
    return { name: `[kernel 0x${address.toString(16)}]`, symbolized: false };
  }

  /** The process as this drain sees it: kept from earlier drains while the pid is the same process. */
  process(pid: number): ProcessView {
    const startTime = this.readStartTime(pid);
    let view = this.processes.get(pid);
    if (view !== undefined && startTime !== "" && view.startTime === startTime) {
      view.fresh = false;
    } else {
      view = {
        pid,
        startTime,
        fresh: true,
        mappings: this.readMappings(pid),
        mapsReadAtDrain: this.drain,
        perfMap: undefined,
        files: new Map(),
        loading: new Map(),
        names: new Map(),
        lastSeenDrain: this.drain,
      };
      // A process gone since its sample has nothing to keep.
      if (startTime !== "") this.keep(view);
    }
    view.lastSeenDrain = this.drain;
    view.perfMap = this.refreshPerfMap(pid, view.perfMap);
    return view;
  }

  userFrame(view: ProcessView, address: bigint): FrameName {
    const at = Number(address);
    // Most frames of a warm process end here: a file-backed address keeps its name, and
    // is never JIT code (that lives in anonymous memory), so this goes before the perf map.
    const known = view.names.get(at);
    if (known !== undefined) return known;
    // JIT code moves (V8 re-logs it in the perf map): its names are looked up, never kept.
    const jit = view.perfMap?.lookup(at);
    if (jit !== undefined) return { name: jit, symbolized: true, final: true };
    let mapping = view.mappings === undefined ? undefined : findMapping(view.mappings, at);
    if (
      mapping === undefined &&
      view.startTime !== "" &&
      this.drain - view.mapsReadAtDrain >= MAPS_REREAD_EVERY_DRAINS
    ) {
      // Outside every mapping known: maybe a library loaded since the maps were read.
      view.mappings = this.readMappings(view.pid);
      view.mapsReadAtDrain = this.drain;
      mapping = view.mappings === undefined ? undefined : findMapping(view.mappings, at);
    }
    if (mapping === undefined) return { name: "[unknown]", symbolized: false, final: true };
    const offset = at - mapping.start + mapping.offset;
    const module = mapping.path === "" ? "[anon]" : basename(mapping.path.replace(/ \(deleted\)$/, ""));
    const fallback = { name: `${module}+0x${offset.toString(16)}`, symbolized: false };
    if (!mapping.path.startsWith("/")) return { ...fallback, final: true }; // anonymous: no file to read
    let symbols = view.files.get(mapping.path);
    if (symbols === undefined) {
      if (view.loading.get(mapping.path) === this.drain) return fallback;
      const root = `${this.procRoot}/${view.pid}/root`;
      // A file deleted since it was mapped (an upgraded binary) is still reachable through map_files.
      const path = mapping.path.endsWith(" (deleted)")
        ? `${this.procRoot}/${view.pid}/map_files/${mapping.start.toString(16)}-${mapping.end.toString(16)}`
        : `${root}${mapping.path}`;
      symbols = this.files.get({ path, root, seenAs: mapping.path });
      if (symbols === undefined) {
        view.loading.set(mapping.path, this.drain); // named on a later drain
        return fallback;
      }
      view.loading.delete(mapping.path);
      view.files.set(mapping.path, symbols);
    }
    const vaddr = symbols === null ? undefined : fileOffsetToVaddr(symbols.segments, offset);
    const symbol = symbols === null || vaddr === undefined ? undefined : this.functionName(symbols, vaddr);
    const name: FrameName =
      symbol === undefined ? { ...fallback, final: true } : { name: symbol, symbolized: true, final: true };
    if (view.names.size < (this.options.maxNamesPerProcess ?? 50_000)) view.names.set(at, name);
    return name;
  }

  /**
   * The readable name of the function at vaddr, kept per file: every process
   * mapping the file (each Node process maps the same node binary) reuses it,
   * where demangling it again was a fifth of a warm drain.
   */
  private functionName(symbols: ElfSymbols, vaddr: number): string | undefined {
    const index = lookupSymbolIndex(symbols.symbols, vaddr);
    if (index === -1) return undefined;
    let names = this.functionNames.get(symbols);
    if (names === undefined) {
      names = new Map();
      this.functionNames.set(symbols, names);
    }
    let name = names.get(index);
    if (name === undefined) {
      const raw = symbolName(symbols.symbols, index);
      name = demangle(raw) ?? raw;
      names.set(index, name);
    }
    return name;
  }

  private keep(view: ProcessView): void {
    this.processes.delete(view.pid);
    if (this.processes.size >= (this.options.maxProcesses ?? 2048)) {
      const oldest = this.processes.keys().next().value;
      if (oldest !== undefined) this.processes.delete(oldest);
    }
    this.processes.set(view.pid, view);
  }

  /**
   * Which process a pid is: /proc/PID/stat's start time (field 22, clock ticks
   * since boot; a reused pid has another) and its command (exec keeps the start
   * time but changes the command, and the whole address space with it).
   */
  private readStartTime(pid: number): string {
    try {
      const stat = readFileSync(`${this.procRoot}/${pid}/stat`, "latin1");
      // The command in parentheses may hold spaces and ")": fields count from the last ")".
      const close = stat.lastIndexOf(")");
      const startTime = stat.slice(close + 2).split(" ")[19];
      return startTime === undefined ? "" : `${startTime} ${stat.slice(stat.indexOf("(") + 1, close)}`;
    } catch {
      return "";
    }
  }

  private readMappings(pid: number): Mapping[] | undefined {
    try {
      return parseExecutableMappings(readFileSync(`${this.procRoot}/${pid}/maps`, "utf8"));
    } catch {
      this.skips.add("maps_unreadable"); // exited since the sample, or no permission
      return undefined;
    }
  }

  private refreshPerfMap(pid: number, known: PerfMap | undefined): PerfMap | undefined {
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
      let map = known;
      if (map === undefined || size < map.parsedBytes)
        map = new PerfMap(this.options.maxPerfMapEntries ?? 200_000);
      if (size > map.parsedBytes) {
        const chunk = Buffer.allocUnsafe(size - map.parsedBytes);
        const read = readSync(fd, chunk, 0, chunk.length, map.parsedBytes);
        map.append(chunk.toString("utf8", 0, read), this.skips);
      }
      return map;
    } catch {
      this.skips.add("perf_map_unreadable");
      return known;
    } finally {
      closeSync(fd);
    }
  }
}
