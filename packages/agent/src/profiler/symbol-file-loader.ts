// Reads one mapped file's function symbols, and when the file was stripped of
// its .symtab, its separate debug file: by build id
// (/usr/lib/debug/.build-id/xx/yyyy.debug) or by .gnu_debuglink (next to the
// file, in its .debug/ directory, or under /usr/lib/debug + its directory), the
// places and order GDB searches ("Debugging Information in Separate Files").
// Every path is under the process's root, so a container's own debug files
// are the ones read. A debug file must match: the same build id, or for a
// link without one, the CRC-32 the link records. Plain functions of their
// inputs, so a worker thread can run them (symbol-worker.ts).
import { closeSync, openSync, readSync } from "node:fs";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";
import { ElfError, type ElfSymbols, fileSource, readElfBuildId, readElfSymbols } from "./elf-reader.js";
import { KernelSymbols } from "./kallsyms.js";
import { SkipCounters, type SkipReason } from "./skip-counters.js";

export interface SymbolFileRequest {
  /** The file as this agent reaches it: /proc/PID/root/usr/bin/x, or a map_files entry. */
  path: string;
  /** The process's root (/proc/PID/root), under which its debug directories are looked up. */
  root: string;
  /** The file's path as the process sees it (its directory is where a debug link points); "" if unknown. */
  seenAs: string;
  maxSymbols: number;
  /** False: read the symbols even when a file of the same build id was read before (its entry is gone). */
  reuseBuildId?: boolean;
}

export type SymbolFileResult =
  | { ok: true; symbols: ElfSymbols; debugFile: string; ms: number; skips: SkipReason[] }
  /** A file of this build id was read before: the same library in another container, say. */
  | { ok: "same-build"; buildId: string; ms: number; skips: SkipReason[] }
  | { ok: false; reason: SkipReason; ms: number; skips: SkipReason[] };

/** Build ids whose symbols a loader has returned (bounded; forgetting one costs a re-read). */
export class BuildIdsRead {
  private readonly ids = new Set<string>();

  constructor(private readonly max = 10_000) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.size >= this.max) this.ids.clear();
    this.ids.add(id);
  }
}

export interface KernelSymbolsResult {
  table: { starts: BigUint64Array; names: string };
  skips: Array<[SkipReason, number]>;
}

/** The directory GDB looks under for debug files (its debug-file-directory default). */
const DEBUG_DIRECTORY = "/usr/lib/debug";
const CRC_CHUNK_BYTES = 1 << 20;

function readSymbols(path: string, maxSymbols: number): ElfSymbols {
  const source = fileSource(path);
  try {
    return readElfSymbols(source, maxSymbols);
  } finally {
    source.close();
  }
}

function failureOf(error: unknown): SkipReason {
  return error instanceof ElfError ? `elf_${error.reason}` : "elf_unreadable";
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

/** CRC-32 (the one zlib and .gnu_debuglink use) of the whole file, read in chunks. */
function fileCrc32(path: string): number {
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.allocUnsafe(CRC_CHUNK_BYTES);
    let crc = 0;
    let at = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, at);
      if (n === 0) return crc;
      crc = crc32(chunk.subarray(0, n), crc);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** Where the debug file of `file` may be, most specific first, each with how it must match. */
export function debugFileCandidates(
  request: Pick<SymbolFileRequest, "root" | "seenAs" | "path">,
  file: Pick<ElfSymbols, "buildId" | "debugLink">,
): Array<{ path: string; via: "build-id" | "debuglink" }> {
  const candidates: Array<{ path: string; via: "build-id" | "debuglink" }> = [];
  if (file.buildId.length > 2) {
    candidates.push({
      path: `${request.root}${DEBUG_DIRECTORY}/.build-id/${file.buildId.slice(0, 2)}/${file.buildId.slice(2)}.debug`,
      via: "build-id",
    });
  }
  const seenAs = request.seenAs.replace(/ \(deleted\)$/, "");
  if (file.debugLink !== undefined && seenAs.startsWith("/")) {
    const dir = dirname(seenAs);
    const name = file.debugLink.name;
    for (const path of [
      `${request.root}${dir === "/" ? "" : dir}/${name}`,
      `${request.root}${dir === "/" ? "" : dir}/.debug/${name}`,
      `${request.root}${DEBUG_DIRECTORY}${dir === "/" ? "" : dir}/${name}`,
    ]) {
      // A link naming the file itself (same name, same directory) is not a debug file.
      if (path !== request.path) candidates.push({ path, via: "debuglink" });
    }
  }
  return candidates;
}

function findDebugSymbols(
  request: SymbolFileRequest,
  file: ElfSymbols,
  skips: SkipReason[],
): { path: string; symbols: ElfSymbols } | undefined {
  for (const candidate of debugFileCandidates(request, file)) {
    let debug: ElfSymbols;
    try {
      debug = readSymbols(candidate.path, request.maxSymbols);
    } catch (error) {
      if (!isMissing(error)) skips.push("debug_file_unreadable");
      continue;
    }
    const matches =
      file.buildId !== "" && debug.buildId !== ""
        ? debug.buildId === file.buildId
        : candidate.via === "debuglink" && fileCrc32(candidate.path) === file.debugLink?.crc;
    if (!matches) {
      skips.push("debug_file_mismatch"); // another build's debug file: its addresses would lie
      continue;
    }
    if (!debug.hasSymtab || debug.symbols.starts.length === 0) {
      skips.push("debug_file_no_symbols");
      continue;
    }
    return { path: candidate.path, symbols: debug };
  }
  return undefined;
}

export function loadSymbolFile(request: SymbolFileRequest, read?: BuildIdsRead): SymbolFileResult {
  const started = performance.now();
  const skips: SkipReason[] = [];
  let symbols: ElfSymbols;
  try {
    const source = fileSource(request.path);
    try {
      // Headers and notes first (a few small reads): a build id read before needs nothing more.
      const buildId = read !== undefined && request.reuseBuildId !== false ? readElfBuildId(source) : "";
      if (buildId !== "" && read?.has(buildId)) {
        return { ok: "same-build", buildId, ms: performance.now() - started, skips };
      }
      symbols = readElfSymbols(source, request.maxSymbols);
    } finally {
      source.close();
    }
  } catch (error) {
    return { ok: false, reason: failureOf(error), ms: performance.now() - started, skips };
  }
  if (symbols.buildId !== "") read?.add(symbols.buildId);
  let debugFile = "";
  if (!symbols.hasSymtab) {
    const debug = findDebugSymbols(request, symbols, skips);
    if (debug !== undefined) {
      // The debug file's symbols, at the addresses of the file that is mapped (its segments).
      symbols = { ...symbols, symbols: debug.symbols.symbols, hasSymtab: true };
      debugFile = debug.path;
    }
  }
  if (symbols.symbols.starts.length === 0) skips.push("elf_no_symbols");
  return { ok: true, symbols, debugFile, ms: performance.now() - started, skips };
}

export function loadKernelSymbols(path: string): KernelSymbolsResult {
  const counted = new SkipCounters();
  const kernel = KernelSymbols.load(path, counted);
  return {
    table: kernel.toTransfer(),
    skips: Object.entries(counted.snapshot()) as Array<[SkipReason, number]>,
  };
}
