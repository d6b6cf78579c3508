// Kernel symbols from /proc/kallsyms: text symbols sorted by address, found
// by binary search (the greatest start at or below the address).
import { readFileSync } from "node:fs";
import type { SkipCounters } from "./skip-counters.js";

const TEXT_TYPES = new Set(["t", "T", "w", "W"]);

export class KernelSymbols {
  private constructor(
    private readonly starts: BigUint64Array,
    private readonly names: string[],
  ) {}

  static parse(text: string, skips?: SkipCounters): KernelSymbols {
    const rows: Array<{ start: bigint; name: string }> = [];
    let hidden = 0;
    for (const line of text.split("\n")) {
      // "ffffffff81000000 T _stext" or "ffffffffc0a01000 t name\t[module]"
      const first = line.indexOf(" ");
      if (first <= 0 || line.length < first + 4 || line[first + 2] !== " ") continue;
      if (!TEXT_TYPES.has(line[first + 1] as string)) continue;
      const hex = line.slice(0, first);
      if (!/^[0-9a-fA-F]+$/.test(hex)) continue;
      const start = BigInt(`0x${hex}`);
      if (start === 0n) {
        hidden++; // kptr_restrict hides addresses from this reader
        continue;
      }
      const rest = line.slice(first + 3);
      const tab = rest.indexOf("\t");
      const name = tab === -1 ? rest.trim() : `${rest.slice(0, tab)} ${rest.slice(tab + 1).trim()}`;
      rows.push({ start, name });
    }
    if (hidden > 0) skips?.add("kallsyms_hidden", hidden);
    rows.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const starts = new BigUint64Array(rows.length);
    const names: string[] = new Array(rows.length);
    rows.forEach((row, i) => {
      starts[i] = row.start;
      names[i] = row.name;
    });
    return new KernelSymbols(starts, names);
  }

  static load(path = "/proc/kallsyms", skips?: SkipCounters): KernelSymbols {
    try {
      return KernelSymbols.parse(readFileSync(path, "utf8"), skips);
    } catch {
      skips?.add("kallsyms_unreadable");
      return KernelSymbols.parse("");
    }
  }

  /** The table as a worker thread posts it: starts, and names joined by newlines (one string clones fast). */
  toTransfer(): { starts: BigUint64Array; names: string } {
    return { starts: this.starts, names: this.names.join("\n") };
  }

  static fromTransfer(table: { starts: BigUint64Array; names: string }): KernelSymbols {
    return new KernelSymbols(table.starts, table.starts.length === 0 ? [] : table.names.split("\n"));
  }

  get size(): number {
    return this.starts.length;
  }

  /** The symbol containing `address`, or undefined below the first. */
  lookup(address: bigint): string | undefined {
    let low = 0;
    let high = this.starts.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if ((this.starts[mid] as bigint) <= address) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found === -1 ? undefined : this.names[found];
  }
}
