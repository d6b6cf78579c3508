// JIT symbols from /tmp/perf-PID.map ("START SIZE NAME", hex, one per line),
// which Node writes with --perf-basic-prof(-only-functions). The file only
// grows while the process runs, so a re-read parses the appended part.

import type { SkipCounters } from "./skip-counters.js";

const LINE = /^(?:0x)?([0-9a-fA-F]+) (?:0x)?([0-9a-fA-F]+) (.+)$/;

export interface PerfMapEntry {
  start: number;
  size: number;
  name: string;
}

export class PerfMap {
  private entries: PerfMapEntry[] = [];
  private sorted = true;
  /** Bytes of the file parsed so far (a partial last line is parsed next time). */
  parsedBytes = 0;

  constructor(private readonly maxEntries = 200_000) {}

  get size(): number {
    return this.entries.length;
  }

  /** Parses whole lines of `text` (what follows parsedBytes); returns the bytes consumed. */
  append(text: string, skips?: SkipCounters): number {
    const end = text.lastIndexOf("\n");
    if (end === -1) return 0;
    for (const line of text.slice(0, end).split("\n")) {
      if (line === "") continue;
      const match = LINE.exec(line);
      const start = match ? Number.parseInt(match[1] as string, 16) : Number.NaN;
      const size = match ? Number.parseInt(match[2] as string, 16) : Number.NaN;
      if (!match || !Number.isSafeInteger(start) || !Number.isSafeInteger(size) || size === 0) {
        skips?.add("perf_map_malformed_line");
        continue;
      }
      if (this.entries.length >= this.maxEntries) continue;
      const last = this.entries[this.entries.length - 1];
      if (last !== undefined && last.start > start) this.sorted = false;
      this.entries.push({ start, size, name: (match[3] as string).trim() });
    }
    const consumed = Buffer.byteLength(text.slice(0, end + 1));
    this.parsedBytes += consumed;
    return consumed;
  }

  /** The entry containing address; a later line for the same code wins (V8 moves and re-logs code). */
  lookup(address: number): string | undefined {
    if (!this.sorted) {
      // Stable: among equal starts the later line stays later.
      this.entries.sort((a, b) => a.start - b.start);
      this.sorted = true;
    }
    let low = 0;
    let high = this.entries.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if ((this.entries[mid] as PerfMapEntry).start <= address) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    // Walk back over entries that start earlier but may still cover it.
    for (let i = found; i >= 0 && i > found - 8; i--) {
      const entry = this.entries[i] as PerfMapEntry;
      if (address < entry.start + entry.size) return entry.name;
    }
    return undefined;
  }
}
