// The demangler against names c++filt (GNU binutils) reads the same way:
// fixtures/itanium-names.tsv holds mangled names and c++filt's output for
// them, from GCC and Clang builds of libstdc++, V8 and small programs. Then
// a C++ program compiled here with g++, symbolized as the profiler does.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { demangle } from "./demangle.js";
import { bufferSource, readElfSymbols, symbolNames } from "./elf-reader.js";

const pairs = readFileSync(new URL("./fixtures/itanium-names.tsv", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .map((line) => line.split("\t") as [string, string]);

describe("demangle", () => {
  it.each(pairs)("%s → c++filt's reading", (mangled, readable) => {
    expect(demangle(mangled)).toBe(readable);
  });

  it("leaves alone what is not a mangled name, and what it does not cover", () => {
    expect(demangle("main")).toBeUndefined();
    expect(demangle("hot_c_spin")).toBeUndefined();
    // Transaction-safe clones, expressions in template arguments, a function returning a function pointer.
    expect(demangle("_ZGTtNKSt9exception4whatEv")).toBeUndefined();
    expect(demangle("_Z1fIXadL_Z1gvEEEvv")).toBeUndefined();
    expect(demangle("_Z1fPFPFivEvE")).toBeUndefined();
  });

  it("never throws on a cut or corrupted name: every prefix and byte flip gives a string or undefined", () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = "_ZNKESIJLTDCFPRAOVr0123456789abcdefghijklmnopqrstuvwxyz";
    for (const [mangled] of pairs) {
      for (let end = 0; end <= mangled.length; end++) {
        const cut = demangle(mangled.slice(0, end));
        expect(cut === undefined || typeof cut === "string").toBe(true);
      }
      for (let i = 0; i < 50; i++) {
        const at = 2 + Math.floor(random() * (mangled.length - 2));
        const flipped = `${mangled.slice(0, at)}${alphabet[Math.floor(random() * alphabet.length)]}${mangled.slice(at + 1)}`;
        const result = demangle(flipped);
        expect(result === undefined || typeof result === "string").toBe(true);
      }
    }
  });
});

describe("a C++ program's own symbols", () => {
  const dir = mkdtempSync(join(tmpdir(), "periscope-demangle-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads as its source names them", () => {
    writeFileSync(
      join(dir, "shop.cc"),
      `#include <vector>
namespace shop {
struct Cart {
  std::vector<long> items;
  Cart() { items.push_back(1); }
  ~Cart() { items.clear(); }
  long total() const { long sum = 0; for (long i : items) sum += i; return sum; }
  Cart& operator+=(long price) { items.push_back(price); return *this; }
};
template <typename T> __attribute__((noinline)) T twice(T value) { return value + value; }
}
int main() {
  shop::Cart cart;
  cart += 5;
  auto score = [&](int n) { return cart.total() * n; };
  return static_cast<int>(shop::twice(score(3)) + shop::twice(2.0));
}
`,
    );
    execFileSync("g++", ["-O0", "-o", join(dir, "shop"), join(dir, "shop.cc")]);
    const names = symbolNames(readElfSymbols(bufferSource(readFileSync(join(dir, "shop")))).symbols).map(
      (name) => demangle(name) ?? name,
    );
    expect(names).toEqual(
      expect.arrayContaining([
        "main",
        "shop::Cart::Cart()",
        "shop::Cart::~Cart()",
        "shop::Cart::total() const",
        "shop::Cart::operator+=(long)",
        "long shop::twice<long>(long)",
        "double shop::twice<double>(double)",
        "main::{lambda(int)#1}::operator()(int) const",
        "std::vector<long, std::allocator<long> >::push_back(long const&)",
      ]),
    );
    // c++filt (binutils, which g++ needs) reads every one it covers the same way.
    const mangled = symbolNames(readElfSymbols(bufferSource(readFileSync(join(dir, "shop")))).symbols).filter(
      (name) => name.startsWith("_Z"),
    );
    const filtered = execFileSync("c++filt", { input: mangled.join("\n") })
      .toString()
      .trim()
      .split("\n");
    const ours = mangled.map((name) => demangle(name));
    const differing = mangled.filter((_, i) => ours[i] !== undefined && ours[i] !== filtered[i]);
    expect(differing).toEqual([]);
  }, 60_000);
});
