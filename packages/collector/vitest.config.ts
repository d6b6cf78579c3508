import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // chdb binds one data directory per process and one process per directory,
    // so every test file runs in its own forked process with its own temp dir.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
