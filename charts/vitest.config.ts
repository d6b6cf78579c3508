import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each test spawns helm (a Go binary, ~100 ms per render); the default 5 s leaves
    // little room on a loaded 2-core machine.
    testTimeout: 30_000,
  },
});
