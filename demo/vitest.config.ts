import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // The chain test starts the demo's nine processes: separate workers, and time for a busy machine.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
