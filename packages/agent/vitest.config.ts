import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // Separate processes: the kernel tests load BPF programs and a native
    // addon, and each test file's tracer must not see another file's traffic.
    pool: "forks",
    globalSetup: ["src/capture/build-kernel-artifacts.ts"],
    testTimeout: 15_000,
  },
});
