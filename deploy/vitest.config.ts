import { defineConfig } from "vitest/config";

export default defineConfig({
  // deploy/ is no workspace package: a node_modules here (vite's cache) would make pnpm
  // take this folder for one and refuse `pnpm exec` in it.
  cacheDir: "../node_modules/.vite/deploy",
  test: {
    include: ["test/**/*.test.ts"],
    // Builds the images once (scripts/images/build.sh) before any file runs; a machine
    // that cannot build or run containers fails here, with the reason.
    globalSetup: ["test/global-setup.ts"],
    // One stack at a time: each file starts containers and an agent that traces the
    // whole host, and the machine has two cores.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
