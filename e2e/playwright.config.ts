import { defineConfig } from "@playwright/test";
import { UI_PORT, UI_URL_ENV } from "./stackOptions.ts";

// Debian's Chromium, never a downloaded browser (the machines cannot reach the
// Playwright CDN). The flags keep it from phoning home and from needing a GPU or a
// user namespace sandbox, neither of which CI containers have.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  globalSetup: "./globalSetup.ts",
  // One stack, real traffic: tests share it, so run them one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 120_000,
  // One stack for every view's spec: some fifteen specs of up to a minute or two each.
  globalTimeout: 1_800_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    // Workers load this file after globalSetup, so they see the URL the stack reported.
    baseURL: process.env[UI_URL_ENV] ?? `http://127.0.0.1:${UI_PORT}`,
    browserName: "chromium",
    viewport: { width: 1360, height: 1000 },
    screenshot: "only-on-failure",
    launchOptions: { executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS },
  },
});
