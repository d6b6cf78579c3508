// Symbols from separate debug files, on real ELF files built here: a program
// is compiled with gcc, its debug information split off with
// `objcopy --only-keep-debug`, the program stripped, and the debug file placed
// where GDB would look (by build id, or by .gnu_debuglink), under a
// /proc/PID/root-shaped directory. The stripped program's own tables name none
// of its functions; the debug file names them all, static ones included.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufferSource, readElfSymbols, symbolNames } from "./elf-reader.js";
import { loadSymbolFile } from "./symbol-file-loader.js";
import { InlineSymbolLoader, type SymbolLoader, WorkerSymbolLoader } from "./symbol-loader.js";
import { Symbolizer } from "./symbolizer.js";

const PROGRAM = `
volatile unsigned long sink;
static __attribute__((noinline)) void hidden_spin(unsigned long n) { for (unsigned long i = 0; i < n; i++) sink += i; }
__attribute__((noinline)) void visible_work(void) { hidden_spin(1000); }
int main(void) { visible_work(); return 0; }
`;

let dir = "";
let procRoot = "";
const built: Record<string, string> = {};

function run(command: string, ...args: string[]): void {
  execFileSync(command, args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** Compiles PROGRAM (with `variant` compiled in, so two builds differ), splits and strips it. */
function build(name: string, options: { buildId: boolean; variant: string; link: boolean }): void {
  const source = join(dir, `${name}.c`);
  writeFileSync(source, `${PROGRAM}\nconst char *variant = "${options.variant}";\n`);
  const full = join(dir, `${name}.full`);
  run(
    "gcc",
    "-O1",
    "-g",
    "-fno-omit-frame-pointer",
    `-Wl,--build-id=${options.buildId ? "sha1" : "none"}`,
    "-o",
    full,
    source,
  );
  run("objcopy", "--only-keep-debug", full, join(dir, `${name}.debug`));
  run("objcopy", "--strip-all", full, join(dir, name));
  if (options.link) run("objcopy", `--add-gnu-debuglink=${join(dir, `${name}.debug`)}`, join(dir, name));
  built[name] = join(dir, name);
}

/** Places `from` at `path` inside process `pid`'s root. */
function place(pid: number, path: string, from: string): string {
  const target = join(procRoot, String(pid), "root", path);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(from, target);
  return target;
}

/** A /proc/PID shaped like the kernel's: stat, and maps with the program's text mapped at `base`. */
function processWith(pid: number, programPath: string, base = 0x5555_5555_4000): void {
  const size = readFileSync(join(procRoot, String(pid), "root", programPath)).length;
  const end = base + Math.ceil(size / 4096) * 4096;
  writeFileSync(
    join(procRoot, String(pid), "stat"),
    `${pid} (prog) S 1 ${pid} ${pid} 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 4242 0 0\n`,
  );
  writeFileSync(
    join(procRoot, String(pid), "maps"),
    `${base.toString(16)}-${end.toString(16)} r-xp 00000000 fd:01 77 ${programPath}\n`,
  );
}

/** The address in the process where `fn` of the unstripped build runs, mapped whole at `base`. */
function addressOf(name: string, fn: string, base = 0x5555_5555_4000): bigint {
  const full = readElfSymbols(bufferSource(readFileSync(join(dir, `${name}.full`))));
  const names = symbolNames(full.symbols);
  const vaddr = full.symbols.starts[names.indexOf(fn)] as number;
  const segment = full.segments.find((s) => vaddr >= s.vaddr && vaddr < s.vaddr + s.fileSize);
  if (segment === undefined) throw new Error(`${fn} is in no PT_LOAD segment`);
  return BigInt(base + vaddr - segment.vaddr + segment.fileOffset + 4);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "periscope-debug-files-"));
  procRoot = join(dir, "proc");
  build("with-build-id", { buildId: true, variant: "a", link: false });
  build("with-link", { buildId: false, variant: "b", link: true });
  build("other-build", { buildId: true, variant: "c", link: false });
  build("other-link", { buildId: false, variant: "d", link: true });
}, 60_000);

afterAll(() => {
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

describe("readElfSymbols on a stripped program", () => {
  it("finds no .symtab, and reads the build id and the .gnu_debuglink name and CRC", () => {
    const stripped = readElfSymbols(bufferSource(readFileSync(built["with-build-id"] as string)));
    expect(stripped.hasSymtab).toBe(false);
    expect(symbolNames(stripped.symbols)).not.toContain("hidden_spin");
    expect(stripped.buildId).toMatch(/^[0-9a-f]{40}$/);
    const linked = readElfSymbols(bufferSource(readFileSync(built["with-link"] as string)));
    expect(linked.buildId).toBe("");
    expect(linked.debugLink?.name).toBe("with-link.debug");
    expect(linked.debugLink?.crc).toBe(
      // zlib's CRC-32 is the one .gnu_debuglink records (GDB manual, "Separate Debug Files").
      crc32(readFileSync(join(dir, "with-link.debug"))),
    );
  });
});

describe("debug files through /proc/PID/root", () => {
  it("names a stripped program's functions, static ones too, from /usr/lib/debug/.build-id", () => {
    const pid = 101;
    const id = readElfSymbols(bufferSource(readFileSync(built["with-build-id"] as string))).buildId;
    place(pid, "/usr/local/bin/prog", built["with-build-id"] as string);
    place(
      pid,
      `/usr/lib/debug/.build-id/${id.slice(0, 2)}/${id.slice(2)}.debug`,
      join(dir, "with-build-id.debug"),
    );
    processWith(pid, "/usr/local/bin/prog");
    const symbolizer = new Symbolizer({ procRoot });
    symbolizer.beginDrain();
    const view = symbolizer.process(pid);
    expect(symbolizer.userFrame(view, addressOf("with-build-id", "hidden_spin"))).toMatchObject({
      name: "hidden_spin",
      symbolized: true,
    });
    expect(symbolizer.userFrame(view, addressOf("with-build-id", "visible_work")).name).toBe("visible_work");
    expect(symbolizer.cacheSizes().debugFiles).toBe(1);
  });

  it("follows .gnu_debuglink to the file beside the program, in .debug/, or under /usr/lib/debug", () => {
    const places = [
      "/opt/app/bin/with-link.debug",
      "/opt/app/bin/.debug/with-link.debug",
      "/usr/lib/debug/opt/app/bin/with-link.debug",
    ];
    places.forEach((debugPath, i) => {
      const pid = 200 + i;
      place(pid, "/opt/app/bin/prog", built["with-link"] as string);
      place(pid, debugPath, join(dir, "with-link.debug"));
      processWith(pid, "/opt/app/bin/prog");
      const symbolizer = new Symbolizer({ procRoot });
      symbolizer.beginDrain();
      const view = symbolizer.process(pid);
      expect(symbolizer.userFrame(view, addressOf("with-link", "hidden_spin")).name, debugPath).toBe(
        "hidden_spin",
      );
    });
  });

  it("refuses another build's debug file (build id or CRC differs), counts it, and keeps module+offset", () => {
    // Build id: the debug file of another build, placed under this build's id.
    const pid = 301;
    const id = readElfSymbols(bufferSource(readFileSync(built["with-build-id"] as string))).buildId;
    place(pid, "/usr/local/bin/prog", built["with-build-id"] as string);
    place(
      pid,
      `/usr/lib/debug/.build-id/${id.slice(0, 2)}/${id.slice(2)}.debug`,
      join(dir, "other-build.debug"),
    );
    processWith(pid, "/usr/local/bin/prog");
    // Link: a file of the linked name whose contents are another build's.
    const linkPid = 302;
    place(linkPid, "/opt/app/bin/prog", built["with-link"] as string);
    place(linkPid, "/opt/app/bin/with-link.debug", join(dir, "other-link.debug"));
    processWith(linkPid, "/opt/app/bin/prog");
    const symbolizer = new Symbolizer({ procRoot });
    symbolizer.beginDrain();
    const frame = symbolizer.userFrame(symbolizer.process(pid), addressOf("with-build-id", "hidden_spin"));
    expect(frame).toMatchObject({ name: expect.stringMatching(/^prog\+0x[0-9a-f]+$/), symbolized: false });
    const linked = symbolizer.userFrame(symbolizer.process(linkPid), addressOf("with-link", "hidden_spin"));
    expect(linked.symbolized).toBe(false);
    expect(symbolizer.skips.get("debug_file_mismatch")).toBe(2);
  });

  it("counts a debug file that is not ELF, and still reads the program", () => {
    const pid = 401;
    place(pid, "/opt/app/bin/prog", built["with-link"] as string);
    const bad = join(dir, "not-elf.debug");
    writeFileSync(bad, "this is not an ELF file at all, just text long enough to pass the size check....");
    place(pid, "/opt/app/bin/with-link.debug", bad);
    const result = loadSymbolFile({
      path: join(procRoot, String(pid), "root/opt/app/bin/prog"),
      root: join(procRoot, String(pid), "root"),
      seenAs: "/opt/app/bin/prog",
      maxSymbols: 1000,
    });
    expect(result.ok).toBe(true);
    expect(result.skips).toContain("debug_file_unreadable");
  });

  it("reads them on the worker thread the agent uses: a miss answers later, never blocks", async () => {
    const pid = 501;
    const id = readElfSymbols(bufferSource(readFileSync(built["with-build-id"] as string))).buildId;
    place(pid, "/usr/local/bin/prog", built["with-build-id"] as string);
    place(
      pid,
      `/usr/lib/debug/.build-id/${id.slice(0, 2)}/${id.slice(2)}.debug`,
      join(dir, "with-build-id.debug"),
    );
    processWith(pid, "/usr/local/bin/prog");
    const symbolizer = new Symbolizer({ procRoot, loader: new WorkerSymbolLoader() });
    try {
      symbolizer.beginDrain();
      const view = symbolizer.process(pid);
      const address = addressOf("with-build-id", "hidden_spin");
      // The first ask returns at once, named by offset, while the worker reads the files.
      expect(symbolizer.userFrame(view, address).symbolized).toBe(false);
      expect(symbolizer.skips.get("symbols_pending")).toBe(1);
      for (let i = 0; i < 200 && symbolizer.pendingLoads() > 0; i++)
        await new Promise((r) => setTimeout(r, 50));
      symbolizer.beginDrain();
      expect(symbolizer.userFrame(symbolizer.process(pid), address)).toMatchObject({
        name: "hidden_spin",
        symbolized: true,
      });
      expect(symbolizer.skips.get("symbol_worker_failed")).toBe(0);
    } finally {
      symbolizer.close();
    }
  }, 30_000);

  it("reads one build id's symbols once: the same library in another container is not read again", () => {
    const results: string[] = [];
    const inline = new InlineSymbolLoader();
    const watching: SymbolLoader = {
      pending: 0,
      loadFile: (request, done) =>
        inline.loadFile(request, (result) => {
          results.push(String(result.ok));
          done(result);
        }),
      loadKernel: (path, done) => inline.loadKernel(path, done),
      close: () => {},
    };
    // Two copies (two inodes, as in two containers' images) of one build, with its debug file.
    const id = readElfSymbols(bufferSource(readFileSync(built["with-build-id"] as string))).buildId;
    for (const pid of [601, 602]) {
      place(pid, "/usr/local/bin/prog", built["with-build-id"] as string);
      place(
        pid,
        `/usr/lib/debug/.build-id/${id.slice(0, 2)}/${id.slice(2)}.debug`,
        join(dir, "with-build-id.debug"),
      );
      processWith(pid, "/usr/local/bin/prog");
    }
    const symbolizer = new Symbolizer({ procRoot, loader: watching });
    symbolizer.beginDrain();
    const address = addressOf("with-build-id", "hidden_spin");
    expect(symbolizer.userFrame(symbolizer.process(601), address).name).toBe("hidden_spin");
    const held = symbolizer.cacheSizes().fileSymbols;
    expect(symbolizer.userFrame(symbolizer.process(602), address).name).toBe("hidden_spin");
    expect(results).toEqual(["true", "same-build"]);
    expect(symbolizer.cacheSizes()).toMatchObject({ fileSymbols: held, files: 2 });
  });
});
