// The frame every page shares: the time range and filters live in the URL (only
// values that differ from the default), Back/Forward and reload restore them, nav
// links carry them, and the header shows the live stream's state. Run on the agents
// page, whose content does not depend on the range, against the stack.
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { driveCheckouts } from "./demoTraffic.ts";
import { DEMO_URL_ENV } from "./stackOptions.ts";

const output = (name: string) => fileURLToPath(new URL(`./output/${name}`, import.meta.url));

function search(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}

test("time range changes update the URL; Back, Forward and reload restore them", async ({ page }) => {
  await page.goto("/agents");
  const select = page.getByTestId("time-range-select");
  await expect(select).toHaveValue("15m");
  // The default is not written into the URL.
  expect(search(page).toString()).toBe("");

  await select.selectOption("1h");
  await expect(page).toHaveURL(/\/agents\?range=1h$/);
  await select.selectOption("6h");
  await expect(page).toHaveURL(/\/agents\?range=6h$/);

  await page.goBack();
  await expect(page).toHaveURL(/\/agents\?range=1h$/);
  await expect(select).toHaveValue("1h");
  await page.goForward();
  await expect(page).toHaveURL(/\/agents\?range=6h$/);
  await expect(select).toHaveValue("6h");

  await page.reload();
  await expect(page.getByTestId("time-range-select")).toHaveValue("6h");

  // Back to the default removes the key again.
  await page.getByTestId("time-range-select").selectOption("15m");
  await expect(page).toHaveURL(/\/agents$/);

  // Nav links carry the frame to the next page.
  await page.getByTestId("time-range-select").selectOption("24h");
  await expect(page).toHaveURL(/\/agents\?range=24h$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Requests" }).click();
  await expect(page).toHaveURL(/\/requests\?(.*&)?range=24h(&|$)/);
  await expect(page.getByTestId("time-range-select")).toHaveValue("24h");
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Requests" }),
  ).toHaveAttribute("aria-current", "page");
});

test("a custom absolute range is written as ISO instants and survives reload; Go live returns", async ({
  page,
}) => {
  await page.goto("/agents?range=1h");
  await page.getByTestId("time-range-select").selectOption("custom");
  await expect(page.getByTestId("time-range-from")).toBeFocused();
  await page.getByTestId("time-range-from").fill("2026-01-02T03:04:05");
  await page.getByTestId("time-range-to").fill("2026-01-02T03:00:00");
  await page.getByRole("button", { name: "Apply" }).click();
  // A range that ends before it starts is refused with a reason, and the URL is unchanged.
  await expect(page.getByRole("alert").filter({ hasText: "The end must be after the start" })).toBeVisible();
  await expect(page).toHaveURL(/\?range=1h$/);

  await page.getByTestId("time-range-to").fill("2026-01-02T04:04:05");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/from=/);
  const from = Date.parse(search(page).get("from") ?? "");
  const to = Date.parse(search(page).get("to") ?? "");
  expect(to - from).toBe(3_600_000);
  // The browser's own zone reads the local times back.
  expect(await page.evaluate((ms) => new Date(ms).getHours(), from)).toBe(3);
  expect(search(page).get("range")).toBeNull();

  await page.reload();
  await expect(page.getByTestId("time-range-select")).toHaveValue("custom");
  await expect(page.getByTestId("live-status")).toContainText("fixed range");

  await page.getByTestId("time-range-live").click();
  await expect(page).toHaveURL(/\/agents$/);
  await page.goBack();
  await expect(page).toHaveURL(/from=.*&to=/);
});

test("the header shows live traffic, filters go into the URL, and the theme toggles", async ({ page }) => {
  const demoUrl = process.env[DEMO_URL_ENV];
  expect(demoUrl, `${DEMO_URL_ENV} is set by globalSetup`).toBeTruthy();
  const traffic = driveCheckouts(demoUrl as string);
  try {
    await page.goto("/agents");
    const live = page.getByTestId("live-status");
    await expect(live).toHaveAttribute("data-status", "live", { timeout: 30_000 });
    // Requests announced over the SSE stream turn into a non-zero rate.
    await expect(live).toHaveText(/^Live · (0\.[1-9]\d*|[1-9][\d.,]*) req\/s$/, { timeout: 60_000 });

    // Filters: a namespace from the URL is shown selected (even when the range's names
    // do not list it: on a host without Kubernetes the demo has none), and clearing it
    // removes the key. Services come from the names API, so the demo's are offered.
    await page.goto("/agents?namespace=shop");
    const namespace = page.getByTestId("namespace-filter");
    await expect(namespace).toHaveValue("shop");
    await namespace.selectOption("");
    await expect(page).toHaveURL(/\/agents$/);
    const offered = page.locator("header datalist option");
    await expect(offered.first()).toBeAttached({ timeout: 30_000 });
    const service = (await offered.first().getAttribute("value")) ?? "";
    expect(service).not.toBe("");
    await page.getByTestId("service-filter").fill(service);
    await page.getByTestId("service-filter").press("Enter");
    await expect.poll(() => search(page).get("service")).toBe(service);
    expect([...search(page).keys()]).toEqual(["service"]);
    await page.goBack();
    await expect(page).toHaveURL(/\/agents$/);
    await expect(page.getByTestId("service-filter")).toHaveValue("");

    const axe = await new AxeBuilder({ page }).include("header").analyze();
    expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    await page.screenshot({ path: output("frame-light.png") });

    const toggle = page.getByTestId("theme-toggle");
    const html = page.locator("html");
    await toggle.click();
    await expect(html).toHaveAttribute("data-theme", "light");
    await toggle.click();
    await expect(html).toHaveAttribute("data-theme", "dark");
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe("rgb(11, 17, 32)");
    // The choice is kept per browser and applied before paint on the next load.
    await page.reload();
    await expect(html).toHaveAttribute("data-theme", "dark");
    expect(await background()).toBe("rgb(11, 17, 32)");
    const darkAxe = await new AxeBuilder({ page }).include("header").analyze();
    expect(darkAxe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    await page.screenshot({ path: output("frame-dark.png") });
    // Every page takes the same tokens: the map in the dark theme, for the record.
    await page.goto("/");
    const map = page.getByTestId("service-map");
    await expect
      .poll(async () => (JSON.parse((await map.getAttribute("data-nodes")) ?? "[]") as unknown[]).length, {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    await expect(html).toHaveAttribute("data-theme", "dark");
    await page.screenshot({ path: output("frame-dark-map.png") });
    await toggle.click();
    await expect(html).not.toHaveAttribute("data-theme", /./);

    // The header fits the smallest screen the UI is made for, nav and controls on two rows.
    await page.setViewportSize({ width: 1280, height: 800 });
    const overflow = await page.evaluate(() => {
      const header = document.querySelector("header.app-header");
      return header ? header.scrollWidth - header.clientWidth : -1;
    });
    expect(overflow).toBe(0);
    const headerHeight = await page
      .locator("header.app-header")
      .evaluate((el) => el.getBoundingClientRect().height);
    expect(headerHeight).toBeLessThan(120);
  } finally {
    await traffic.stop();
  }
});

test("the fonts are bundled: text and ids use Inter and JetBrains Mono from the UI's own server", async ({
  page,
  baseURL,
}) => {
  const fontRequests: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "font") fontRequests.push(request.url());
  });
  await page.goto("/requests");
  await expect(page.getByRole("heading", { name: "Requests", level: 1 })).toBeVisible();
  const faces = await page.evaluate(async () => {
    await document.fonts.ready;
    const familyOf = (selector: string) => {
      const element = document.querySelector(selector);
      return element ? (getComputedStyle(element).fontFamily.split(",")[0]?.trim() ?? "") : "";
    };
    const loadedFamilies = () => {
      const families: string[] = [];
      document.fonts.forEach((face) => {
        if (face.status === "loaded") families.push(face.family);
      });
      return families;
    };
    const sans = familyOf("body");
    const mono =
      getComputedStyle(document.documentElement).getPropertyValue("--font-mono").split(",")[0]?.trim() ?? "";
    return {
      sans,
      mono,
      // Loaded, not merely declared: the file arrived and decoded.
      loadedFamilies: loadedFamilies(),
    };
  });
  // next/font/local names each face after its export in app/fonts.ts.
  expect(faces.sans.replaceAll(/["']/g, "")).toBe("inter");
  expect(faces.mono.replaceAll(/["']/g, "")).toBe("jetBrainsMono");
  expect(faces.loadedFamilies).toContain("inter");
  // Every font came from the UI's origin: nothing is fetched from outside.
  expect(fontRequests.length).toBeGreaterThan(0);
  for (const url of fontRequests) expect(new URL(url).origin).toBe(new URL(baseURL ?? "").origin);
});
