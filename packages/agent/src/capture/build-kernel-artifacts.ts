// Vitest global setup: builds bpf/build/socket_trace.bpf.o (make is
// incremental) and the native addon when it is missing, so a fresh checkout's
// kernel tests run instead of failing on a missing file. A build failure is
// reported, not thrown: the agent's other tests do not need these artifacts,
// and the kernel tests then fail with the missing path in their message.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { nativeAddonPath } from "../native/native.js";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const packageRoot = fileURLToPath(new URL("../../", import.meta.url));

function run(step: string, command: string, args: string[], cwd: string): void {
  try {
    execFileSync(command, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
    console.warn(`[periscope] ${step} failed: ${(error as Error).message}\n${stderr.slice(-2000)}`);
  }
}

export default function setup(): void {
  run("make -C bpf", "make", ["-C", "bpf", "--quiet"], repoRoot);
  if (!existsSync(nativeAddonPath())) {
    run("node-gyp rebuild", "pnpm", ["exec", "node-gyp", "rebuild", "--nodedir=/usr"], packageRoot);
  }
}
