// Test support: compiles a small C program against the repository's bpf/
// headers and returns its stdout, so tests compare TypeScript mirrors with
// what the C compiler says.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BPF_SOURCE_DIR = fileURLToPath(new URL("../../../../bpf/", import.meta.url));

export function compileAndRunC(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), "periscope-c-"));
  try {
    const sourcePath = join(dir, "main.c");
    const binaryPath = join(dir, "main");
    writeFileSync(sourcePath, source);
    execFileSync(
      "cc",
      ["-std=gnu11", "-Wall", "-Werror", "-I", BPF_SOURCE_DIR, "-o", binaryPath, sourcePath],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    return execFileSync(binaryPath, { encoding: "utf8" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Compiles a C program (test helpers for syscalls Node cannot issue) into a
 * fresh temporary directory; returns the binary's path and a cleanup.
 */
export function compileCProgram(sourcePath: string): { binaryPath: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "periscope-c-"));
  const binaryPath = join(dir, "main");
  execFileSync("cc", ["-std=gnu11", "-O1", "-Wall", "-Werror", "-o", binaryPath, sourcePath], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { binaryPath, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
