// Why input was skipped while symbolizing: counted by reason, never thrown
// past the symbolizer (a bad perf map or ELF file costs names, not samples).
export type SkipReason =
  | "perf_map_malformed_line"
  | "perf_map_unreadable"
  | "elf_not_elf"
  | "elf_unsupported"
  | "elf_truncated"
  | "elf_unreadable"
  | "elf_no_symbols"
  | "maps_unreadable"
  | "kallsyms_unreadable"
  | "kallsyms_hidden"
  | "stack_missing"
  | "symbols_pending"
  | "symbol_worker_failed"
  | "debug_file_unreadable"
  | "debug_file_mismatch"
  | "debug_file_no_symbols";

export class SkipCounters {
  private readonly counts = new Map<SkipReason, number>();

  add(reason: SkipReason, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }

  get(reason: SkipReason): number {
    return this.counts.get(reason) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
