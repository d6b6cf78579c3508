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
