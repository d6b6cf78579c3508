// Incident links on the running stack with demo traffic: Share from a page,
// open the link (title, notes, author, frozen map and requests), restore the
// view with absolute times, and find it in the list.
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { driveCheckouts } from "./demoTraffic.ts";
import { API_TOKEN_ENV, API_URL_ENV, DEMO_URL_ENV } from "./stackOptions.ts";

const output = (name: string) => fileURLToPath(new URL(`./output/${name}`, import.meta.url));

async function seriousViolations(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

/** Edges the collector's own map API has for the last hour: the link must freeze at least these. */
async function edgesNow(): Promise<number> {
  const response = await fetch(`${process.env[API_URL_ENV]}/api/v1/map?from=${Date.now() - 3_600_000}`, {
    headers: { authorization: `Bearer ${process.env[API_TOKEN_ENV]}` },
  });
  return ((await response.json()) as { edges: unknown[] }).edges.length;
}

test("Share captures the view; the link shows what was shared after the fact", async ({ page }) => {
  const traffic = driveCheckouts(process.env[DEMO_URL_ENV] as string);
  try {
    await expect
      .poll(edgesNow, { timeout: 60_000, message: "the demo's calls are on the map" })
      .toBeGreaterThan(0);
  } finally {
    await traffic.stop();
  }

  await page.goto("/?range=1h");
  await page.getByTestId("share-open").click();
  const dialog = page.getByRole("dialog", { name: "Share this view" });
  await dialog.getByLabel("Title").fill("e2e: checkout errors");
  await dialog.getByLabel("Notes").fill("stock fails now and then;\nsee the 502s");
  await expect(dialog.getByLabel(/Freeze the data/)).toBeChecked();
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Create link" }).click();
  const linkUrl = await dialog.getByTestId("share-link").getAttribute("href");
  expect(linkUrl).toMatch(/\/links\/[A-Za-z0-9_-]{22}$/);
  const sharedAt = Date.now();

  await page.goto(linkUrl as string);
  const view = page.getByTestId("link-view");
  await expect(view.getByRole("heading", { level: 1 })).toHaveText("e2e: checkout errors");
  await expect(page.getByTestId("link-notes")).toHaveText("stock fails now and then;\nsee the 502s");
  // The stack's UI acts with its own editor token, which the collector records as the author.
  await expect(view).toContainText("Shared by");
  const frozenEdges = page.getByTestId("link-frozen-edges").locator("tbody tr");
  expect(await frozenEdges.count()).toBeGreaterThan(0);
  await expect(page.getByTestId("link-frozen-requests")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: output("incident-link.png"), fullPage: true });

  // The view comes back with the range as absolute times ending when it was shared.
  const open = page.getByTestId("link-open-view");
  const href = new URL((await open.getAttribute("href")) as string, page.url());
  expect(href.pathname).toBe("/");
  expect(href.searchParams.get("range")).toBeNull();
  const to = Date.parse(href.searchParams.get("to") ?? "");
  const from = Date.parse(href.searchParams.get("from") ?? "");
  expect(to - from).toBe(3_600_000);
  expect(Math.abs(sharedAt - to)).toBeLessThan(60_000);
  await open.click();
  await expect(page).toHaveURL(href.toString());

  await page.goto("/links");
  const row = page.getByTestId("link-row").filter({ hasText: "e2e: checkout errors" });
  await expect(row).toContainText("frozen");
  expect(await seriousViolations(page)).toEqual([]);
  await row.getByRole("link").click();
  await expect(page).toHaveURL(linkUrl as string);
});
