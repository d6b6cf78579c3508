// The BPF objects run on every common node: built for x86-64 and arm64, each
// CO-RE relocation resolves against that architecture's kernel BTF, and no
// instruction needs more than the floor (ring buffers, Linux 5.8).
//
// arm64's BTF is cut from Debian's arm64 kernel package, the one
// bpf/include/arm64/SOURCE pins; x86 is also checked against Debian's amd64
// 6.1 kernel (bpf/include/x86/debian-kernel.pin), besides this machine's
// (bpf/include/fetch-kernel-btf.sh, cached under the git-ignored
// bpf/build/btf/ — fetched once, needs root and apt).
// The check is libbpf's own relocation pass (bpftool gen min_core_btf, with
// its debug log): bpftool exits 0 even when a relocation finds no target, so
// the log is read for each relocation's outcome.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const bpfDir = fileURLToPath(new URL("../../../../bpf/", import.meta.url));
const ARCHES = ["x86", "arm64"] as const;
const OBJECTS = ["socket_trace", "tcp_health"] as const;
const isRoot = process.getuid?.() === 0;
const hostArch = process.arch === "arm64" ? "arm64" : "x86";

function run(command: string, args: string[]): string {
  return execFileSync(command, args, {
    cwd: bpfDir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 << 20,
  });
}

interface RelocationOutcome {
  /** "prog 'name': relo #n" */
  relocation: string;
  spec: string;
  matched: boolean;
}

/** Every CO-RE relocation libbpf resolved against `btf` for `object`, and whether a target matched. */
function relocationOutcomes(btf: string, object: string): RelocationOutcome[] {
  const out = join(tmpdir(), `periscope-min-core-${process.pid}.btf`);
  let log: string;
  try {
    // -d: libbpf's debug log goes to stderr; capture both streams.
    log = execFileSync("sh", ["-c", 'bpftool -d gen min_core_btf "$0" "$1" "$2" 2>&1', btf, out, object], {
      cwd: bpfDir,
      encoding: "utf8",
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    throw new Error(
      `bpftool gen min_core_btf ${object} failed: ${(error as { stdout?: string }).stdout?.slice(-2000)}`,
    );
  }
  const outcomes = new Map<string, RelocationOutcome>();
  for (const line of log.split("\n")) {
    const match = /^libbpf: (prog '[^']+': relo #\d+): (.*)$/.exec(line);
    if (!match) continue;
    const [, relocation = "", rest = ""] = match;
    const known = outcomes.get(relocation);
    if (rest.startsWith("<") && !known) outcomes.set(relocation, { relocation, spec: rest, matched: false });
    else if (known && rest.startsWith("matching candidate")) known.matched = true;
  }
  return [...outcomes.values()];
}

/** Instructions an object's programs use that need a kernel above the floor (atomics beyond add: 5.12). */
function aboveFloorInstructions(object: string): string[] {
  // BPF_STX | BPF_ATOMIC (0xc0) with size W (0xc3) or DW (0xdb): imm 0 is plain
  // BPF_ADD, the old XADD every kernel has; any other imm (BPF_FETCH,
  // and/or/xor, xchg, cmpxchg) arrived in 5.12.
  const listing = run("llvm-objdump", ["-d", object]);
  return listing
    .split("\n")
    .filter((line) => /^\s*\d+:\s+(c3|db) [0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2} (?!00 00 00 00)/.test(line));
}

/**
 * Global subprograms (non-static functions in .text, verified once rather than
 * per call site) whose parameters are not scalars: pointer arguments to
 * global functions need Linux 5.12 (bpf/lib/kernel_compat.h).
 */
function globalFunctionsWithPointerArgs(object: string): string[] {
  const subprograms = run("llvm-objdump", ["-t", object])
    .split("\n")
    .map((line) => /\sg\s+F \.text\s+[0-9a-f]+ (\S+)$/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
  const types = new Map<number, { kind: string; name: string; ref: number; params: number[] }>();
  let current: { params: number[] } | undefined;
  for (const line of run("bpftool", ["btf", "dump", "file", object]).split("\n")) {
    const type = /^\[(\d+)\] (\w+) '([^']*)'(?:.*?type_id=(\d+))?(?:.*?ret_type_id=(\d+))?/.exec(line);
    if (type) {
      current = { params: [] };
      types.set(Number(type[1]), {
        kind: type[2] ?? "",
        name: type[3] ?? "",
        ref: Number(type[4] ?? type[5] ?? 0),
        ...current,
      });
      continue;
    }
    const param = /^\s+'[^']*' type_id=(\d+)$/.exec(line);
    if (param && current) current.params.push(Number(param[1]));
  }
  const scalar = (id: number): boolean => {
    const type = types.get(id);
    if (!type) return false;
    if (type.kind === "TYPEDEF" || type.kind === "CONST" || type.kind === "VOLATILE") return scalar(type.ref);
    return type.kind === "INT" || type.kind === "ENUM";
  };
  const offenders: string[] = [];
  for (const type of types.values()) {
    if (type.kind !== "FUNC" || !subprograms.includes(type.name)) continue;
    const proto = types.get(type.ref);
    if (proto?.params.some((id) => !scalar(id))) offenders.push(type.name);
  }
  return offenders;
}

describe("BPF objects for every common node", () => {
  let arm64Btf: string;
  let debianX86Btf: string;

  beforeAll(() => {
    run("make", ["--quiet"]);
    if (
      !isRoot &&
      !(existsSync(join(bpfDir, "build/btf/arm64.btf")) && existsSync(join(bpfDir, "build/btf/x86.btf")))
    ) {
      throw new Error(
        "the Debian kernels' BTF is not cached and fetching it needs root: run this test once as root (bpf/include/fetch-kernel-btf.sh)",
      );
    }
    arm64Btf = run("./include/fetch-kernel-btf.sh", ["arm64", "--pinned"]).trim().split("\n").at(-1) ?? "";
    // A second x86 kernel, older than the one x86/vmlinux.h came from: Debian 12's 6.1.
    debianX86Btf =
      run("./include/fetch-kernel-btf.sh", ["x86", "include/x86/debian-kernel.pin"])
        .trim()
        .split("\n")
        .at(-1) ?? "";
  }, 300_000);

  it.each(ARCHES.flatMap((arch) => OBJECTS.map((object) => [arch, object] as const)))(
    "builds %s/%s.bpf.o for BPF from that architecture's vmlinux.h",
    (arch, object) => {
      const path = join(bpfDir, "build", arch, `${object}.bpf.o`);
      expect(run("file", [path])).toMatch(/ELF 64-bit LSB relocatable, eBPF/);
      // Both architectures are little-endian; the objects differ where the
      // kernel types differ (user_pt_regs for arm64 uprobes), not in format.
      expect(run("bpftool", ["btf", "dump", "file", path]).length).toBeGreaterThan(0);
    },
  );

  it("has an arm64 vmlinux.h that is bpftool's dump of the pinned arm64 BTF, byte for byte", () => {
    const source = readFileSync(join(bpfDir, "include/arm64/SOURCE"), "utf8");
    expect(source).toMatch(/^package=linux-image-.*-arm64-unsigned$/m);
    const sha = /^btf_sha256=([0-9a-f]{64})$/m.exec(source)?.[1];
    expect(run("sha256sum", [arm64Btf]).split(" ")[0]).toBe(sha);
    const dumped = run("bpftool", ["btf", "dump", "file", arm64Btf, "format", "c"]);
    expect(dumped === readFileSync(join(bpfDir, "include/arm64/vmlinux.h"), "utf8")).toBe(true);
  }, 60_000);

  it.each(OBJECTS)(
    "resolves every CO-RE relocation of arm64/%s.bpf.o against the arm64 kernel's BTF",
    (object) => {
      const outcomes = relocationOutcomes(arm64Btf, join(bpfDir, "build/arm64", `${object}.bpf.o`));
      expect(outcomes.length).toBeGreaterThan(10);
      expect(outcomes.filter((o) => !o.matched).map((o) => `${o.relocation}: ${o.spec}`)).toEqual([]);
    },
    60_000,
  );

  it.each(OBJECTS)(
    `resolves every CO-RE relocation of ${hostArch}/%s.bpf.o against this kernel's BTF`,
    (object) => {
      const outcomes = relocationOutcomes(
        "/sys/kernel/btf/vmlinux",
        join(bpfDir, "build", hostArch, `${object}.bpf.o`),
      );
      expect(outcomes.length).toBeGreaterThan(10);
      expect(outcomes.filter((o) => !o.matched).map((o) => `${o.relocation}: ${o.spec}`)).toEqual([]);
    },
    60_000,
  );

  it.each(OBJECTS)(
    "resolves every CO-RE relocation of x86/%s.bpf.o against Debian 12's 6.1 x86 kernel too",
    (object) => {
      const outcomes = relocationOutcomes(debianX86Btf, join(bpfDir, "build/x86", `${object}.bpf.o`));
      expect(outcomes.length).toBeGreaterThan(10);
      expect(outcomes.filter((o) => !o.matched).map((o) => `${o.relocation}: ${o.spec}`)).toEqual([]);
    },
    60_000,
  );

  it("would notice a relocation with no target (the check is not vacuous)", () => {
    // task_struct has no such field in any kernel: libbpf must report no match.
    const source = join(tmpdir(), `periscope-bad-relo-${process.pid}.bpf.c`);
    const object = `${source}.o`;
    execFileSync("sh", [
      "-c",
      `cat > "$0" <<'EOF'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
struct task_struct___probe { int no_such_field; } __attribute__((preserve_access_index));
SEC("tracepoint/syscalls/sys_enter_read")
int probe(void *ctx) { struct task_struct___probe *t = (void *)bpf_get_current_task(); return BPF_CORE_READ(t, no_such_field); }
char LICENSE[] SEC("license") = "GPL";
EOF
clang -O2 -g -target bpf -D__TARGET_ARCH_arm64 -I "$2/include/arm64" -c "$0" -o "$1"`,
      source,
      object,
      bpfDir,
    ]);
    const outcomes = relocationOutcomes(arm64Btf, object);
    expect(outcomes.map((o) => o.matched)).toEqual([false]);
    expect(outcomes[0]?.spec).toContain("struct task_struct___probe.no_such_field");
  });

  it.each(ARCHES.flatMap((arch) => OBJECTS.map((object) => [arch, object] as const)))(
    "%s/%s.bpf.o uses no instruction above the 5.8 floor (no atomic fetch, xchg or cmpxchg)",
    (arch, object) => {
      expect(aboveFloorInstructions(join(bpfDir, "build", arch, `${object}.bpf.o`))).toEqual([]);
    },
  );

  it.each(ARCHES.flatMap((arch) => OBJECTS.map((object) => [arch, object] as const)))(
    "%s/%s.bpf.o passes only scalars to its global functions (pointer arguments need 5.12)",
    (arch, object) => {
      expect(globalFunctionsWithPointerArgs(join(bpfDir, "build", arch, `${object}.bpf.o`))).toEqual([]);
    },
  );

  it("would notice a global function taking a pointer (the argument check is not vacuous)", () => {
    const source = join(tmpdir(), `periscope-global-${process.pid}.bpf.c`);
    const object = `${source}.o`;
    execFileSync("sh", [
      "-c",
      `cat > "$0" <<'EOF'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
struct args { int a; };
__noinline int takes_pointer(struct args *p) { return p ? p->a : 0; }
__noinline int takes_scalar(unsigned long long x) { return (int)x; }
SEC("tracepoint/syscalls/sys_enter_read")
int probe(void *ctx) { struct args a = { 1 }; return takes_pointer(&a) + takes_scalar(2); }
char LICENSE[] SEC("license") = "GPL";
EOF
clang -O2 -g -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -I "$2/include/x86" -c "$0" -o "$1"`,
      source,
      object,
      bpfDir,
    ]);
    expect(globalFunctionsWithPointerArgs(object)).toEqual(["takes_pointer"]);
  });

  it("would notice an atomic fetch-and-add (the instruction check is not vacuous)", () => {
    const source = join(tmpdir(), `periscope-fetch-${process.pid}.bpf.c`);
    const object = `${source}.o`;
    execFileSync("sh", [
      "-c",
      `cat > "$0" <<'EOF'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
unsigned int counter = 0;
SEC("tracepoint/syscalls/sys_enter_read")
int probe(void *ctx) { return __sync_fetch_and_add(&counter, 1) + 1; }
char LICENSE[] SEC("license") = "GPL";
EOF
clang -O2 -g -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -I "$2/include/x86" -c "$0" -o "$1"`,
      source,
      object,
      bpfDir,
    ]);
    expect(aboveFloorInstructions(object)).toHaveLength(1);
  });
});
