import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
    // The property tests run 100 generated batches each through two codecs:
    // ~2.5 s alone, over vitest's 5 s default on a loaded 2-core machine.
    testTimeout: 30_000,
  },
});
