import { defineConfig } from "vitest/config";

// *.kernel.test.ts files load BPF programs that see every process on the
// machine: run them one at a time, after the other tests, so one file's
// traffic (a flood, a drop-counter check) cannot disturb another's.
const KERNEL_TESTS = "src/**/*.kernel.test.ts";

export default defineConfig({
  test: {
    // Separate processes: each kernel test file's tracer excludes its own pid.
    pool: "forks",
    globalSetup: ["src/capture/build-kernel-artifacts.ts"],
    testTimeout: 15_000,
    // Loading the socket tracer's programs (the verifier) and detaching them take
    // 1.5 s and 2.5 s on a quiet machine, several times that on a busy one; a hook's
    // default 10 s failed whole files, their tests reported as skipped.
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["src/**/*.test.ts"], exclude: [KERNEL_TESTS] },
      },
      {
        extends: true,
        test: {
          name: "kernel",
          include: [KERNEL_TESTS],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
