import { fileURLToPath } from "node:url";
import { expect, type Locator, test } from "@playwright/test";
import { driveCheckouts } from "./demoTraffic.ts";
import { DEMO_URL_ENV } from "./stackOptions.ts";

const SCREENSHOT_PATH = fileURLToPath(new URL("./output/service-map.png", import.meta.url));
const DEMO_SERVICES = ["demo-frontend", "demo-orders", "demo-users"];
const DEMO_CALLS = ["demo-frontend->demo-orders", "demo-frontend->demo-users", "demo-orders->demo-users"];

/** The ids the map container says Cytoscape currently holds. */
async function idsOn(map: Locator, attribute: "data-nodes" | "data-edges"): Promise<string[]> {
  const raw = await map.getAttribute(attribute);
  const ids: unknown = JSON.parse(raw ?? "[]");
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
}

test("the service map and request table show the demo's calls", async ({ page }) => {
  const demoUrl = process.env[DEMO_URL_ENV];
  expect(demoUrl, `${DEMO_URL_ENV} is set by globalSetup`).toBeTruthy();
  const traffic = driveCheckouts(demoUrl as string);
  try {
    await expect
      .poll(() => traffic.succeeded, {
        message: `demo /checkout answers 200 (last error: ${traffic.lastError})`,
      })
      .toBeGreaterThan(0);

    await page.goto("/");
    const map = page.getByTestId("service-map");
    await expect(map).toBeVisible();

    await expect
      .poll(() => idsOn(map, "data-nodes"), { timeout: 60_000, message: "map shows the three demo services" })
      .toEqual(expect.arrayContaining(DEMO_SERVICES));
    await expect
      .poll(() => idsOn(map, "data-edges"), { timeout: 30_000, message: "map shows the demo's three calls" })
      .toEqual(expect.arrayContaining(DEMO_CALLS));

    const checkout = page
      .getByTestId("request-row")
      .filter({ has: page.locator('[data-column="path"]', { hasText: /^\/checkout$/ }) })
      .filter({ has: page.locator('[data-column="status"]', { hasText: /^200$/ }) })
      .first();
    await expect(checkout).toBeVisible({ timeout: 30_000 });
    await expect(checkout.locator('[data-column="method"]')).toHaveText("GET");
    await expect(checkout.locator('[data-column="latency"]')).toHaveText(/^\d+(\.\d+)? (ms|s)$/);

    await expect(page.getByTestId("api-error-banner")).toHaveCount(0);
    await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });
  } finally {
    await traffic.stop();
  }
});
