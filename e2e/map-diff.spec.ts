import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { driveCheckouts } from "./demoTraffic.ts";
import { DEMO_URL_ENV } from "./stackOptions.ts";

const output = (name: string) => fileURLToPath(new URL(`./output/${name}`, import.meta.url));
const VERDICTS = ["worse", "better", "mixed", "new", "vanished", "unchanged"];

test("the map diff overlays two ranges and lists each call's change", async ({ page }) => {
  const demoUrl = process.env[DEMO_URL_ENV];
  expect(demoUrl, `${DEMO_URL_ENV} is set by globalSetup`).toBeTruthy();
  const traffic = driveCheckouts(demoUrl as string);
  try {
    await expect.poll(() => traffic.succeeded, { timeout: 60_000 }).toBeGreaterThan(0);
    // From the map's link, which carries the frame.
    await page.goto("/?range=5m");
    await page.getByTestId("map-diff-link").click();
    await expect(page).toHaveURL(/\/map-diff\?range=5m/);
    await expect(page.getByRole("heading", { level: 1, name: "Map diff" })).toBeVisible();

    const rows = page.getByTestId("map-diff-row");
    await expect
      .poll(() => rows.count(), { timeout: 90_000, message: "the diff lists the demo's calls" })
      .toBeGreaterThanOrEqual(3);
    for (const verdict of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-verdict")))) {
      expect(VERDICTS).toContain(verdict);
    }
    // The first five minutes of a fresh stack have no baseline: its calls are new.
    await expect(page.getByTestId("map-diff-counts")).toContainText(/\d+ new/);
    const map = page.getByTestId("service-map");
    await expect
      .poll(async () => JSON.parse((await map.getAttribute("data-edges")) ?? "[]").length)
      .toBeGreaterThanOrEqual(3);
    await expect(page.getByTestId("map-diff-legend")).toContainText("worse (p99 up ≥ 20% and ≥ 5 ms");
    await page.screenshot({ path: output("map-diff.png"), fullPage: true });

    await page.getByTestId("map-diff-baseline").selectOption("1d");
    await expect(page).toHaveURL(/[?&]baseline=1d/);
    await expect(page.getByTestId("map-diff-ranges")).toContainText("against");

    const result = await new AxeBuilder({ page }).analyze();
    const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  } finally {
    await traffic.stop();
  }
});
