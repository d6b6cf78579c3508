import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KernelSymbols } from "./kallsyms.js";
import { SkipCounters } from "./skip-counters.js";

const text = readFileSync(new URL("./fixtures/kallsyms.txt", import.meta.url), "utf8");

describe("KernelSymbols", () => {
  const skips = new SkipCounters();
  const symbols = KernelSymbols.parse(text, skips);

  it("keeps text symbols only, module ones named with their module", () => {
    // T/t/W text symbols; the D symbol, the A symbol at 0 and the garbage line are not.
    expect(symbols.size).toBe(9);
    expect(symbols.lookup(0xffffffffc0a01010n)).toBe("nf_conntrack_in [nf_conntrack]");
  });

  it("names the greatest symbol at or below an address", () => {
    expect(symbols.lookup(0xffffffff81100210n)).toBe("__x64_sys_getpid");
    expect(symbols.lookup(0xffffffff81100000n)).toBe("do_syscall_64");
    // init_task is data: the address belongs to the text symbol before it.
    expect(symbols.lookup(0xffffffff81200010n)).toBe("__x64_sys_getpid");
    expect(symbols.lookup(0xffffffff81300050n)).toBe("arch_cpu_idle");
    expect(symbols.lookup(0xffffffff80000000n)).toBeUndefined();
  });

  it("counts addresses hidden by kptr_restrict (all zero) instead of using them", () => {
    const hidden = new SkipCounters();
    const none = KernelSymbols.parse("0000000000000000 T _stext\n0000000000000000 t do_syscall_64\n", hidden);
    expect(none.size).toBe(0);
    expect(hidden.get("kallsyms_hidden")).toBe(2);
    expect(none.lookup(0xffffffff81000000n)).toBeUndefined();
  });

  it("loads nothing, counted, when the file cannot be read", () => {
    const unreadable = new SkipCounters();
    expect(KernelSymbols.load("/nonexistent/kallsyms", unreadable).size).toBe(0);
    expect(unreadable.get("kallsyms_unreadable")).toBe(1);
  });
});
