import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { driveCheckouts } from "./demoTraffic.ts";
import { DEMO_URL_ENV } from "./stackOptions.ts";

const output = (name: string) => fileURLToPath(new URL(`./output/${name}`, import.meta.url));

interface Edge {
  source: string;
  target: string;
  requestCount: number;
}

/**
 * A demo service with a caller and a callee, read from the collector's map through
 * the UI's proxy, so the test does not depend on the demo's exact names (they
 * change as the demo grows).
 */
async function serviceInTheMiddle(
  request: APIRequestContext,
): Promise<{ name: string; caller: string; callee: string } | undefined> {
  const response = await request.get("/api/v1/map");
  if (!response.ok()) return undefined;
  const body = (await response.json()) as { nodes: { id: string; kind: string }[]; edges: Edge[] };
  const services = new Set(body.nodes.filter((node) => node.kind === "service").map((node) => node.id));
  const live = body.edges.filter((edge) => edge.requestCount > 0);
  for (const name of [...services].sort()) {
    const caller = live.find((edge) => edge.target === name && edge.source !== name)?.source;
    const callee = live.find((edge) => edge.source === name && services.has(edge.target))?.target;
    if (caller && callee) return { name, caller, callee };
  }
  return undefined;
}

async function expectNoSeriousA11yViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    `axe-core on ${what}`,
  ).toEqual([]);
}

test("a demo service's page shows its traffic, endpoints and neighbours, and a drag zooms the range", async ({
  page,
  request,
}) => {
  const demoUrl = process.env[DEMO_URL_ENV];
  expect(demoUrl, `${DEMO_URL_ENV} is set by globalSetup`).toBeTruthy();
  const traffic = driveCheckouts(demoUrl as string);
  try {
    await expect
      .poll(() => traffic.succeeded, {
        message: `demo /checkout answers 200 (last error: ${traffic.lastError})`,
      })
      .toBeGreaterThan(0);
    let picked: Awaited<ReturnType<typeof serviceInTheMiddle>>;
    await expect
      .poll(
        async () => {
          picked = await serviceInTheMiddle(request);
          return picked !== undefined;
        },
        { timeout: 90_000, message: "the map has a service with both a caller and a callee" },
      )
      .toBe(true);
    const { name, caller, callee } = picked as NonNullable<typeof picked>;

    // The list: every service with its RED; the picked one has a non-zero rate.
    await page.goto("/services");
    const row = page.locator(`[data-testid="service-row"][data-service="${name}"]`);
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect(row.locator('[data-column="rate"]')).not.toHaveText(/^0 req\/s$/);
    await expect(page.getByTestId("service-row").first()).toBeVisible();
    // Sorting by name puts the rows in name order.
    await page.getByRole("button", { name: /^Service/ }).click();
    const names = await page
      .getByTestId("service-row")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-service") ?? ""));
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    await expectNoSeriousA11yViolations(page, "/services");
    await page.screenshot({ path: output("services-list.png"), fullPage: true });

    // The service's page, reached by its link.
    await row.getByRole("link", { name }).click();
    await expect(page).toHaveURL(new RegExp(`/services/${encodeURIComponent(name)}`));
    const servicePage = page.getByTestId("service-page");
    await expect(servicePage).toHaveAttribute("data-service", name);

    const rate = page.locator('[data-testid="service-totals"] [data-figure="rate"] dd');
    await expect(rate).toHaveText(/req\/s$/, { timeout: 30_000 });
    await expect(rate).not.toHaveText(/^0 req\/s$/);
    await expect(page.locator('[data-testid="service-totals"] [data-figure="requests"] dd')).not.toHaveText(
      "0",
    );
    await expect(page.getByTestId("chart-rate").locator("path.ts-chart__line").first()).toBeVisible();

    await expect(page.getByTestId("endpoint-row").first()).toBeVisible({ timeout: 30_000 });
    await expect(page.locator(`[data-testid="upstream-table"] [data-peer="${caller}"]`)).toBeVisible();
    await expect(page.locator(`[data-testid="downstream-table"] [data-peer="${callee}"]`)).toBeVisible();
    // TCP health reaches a result of its own (figures, or its honest empty state), never the error state.
    await expect(page.getByTestId("service-tcp").locator('[data-state="error"]')).toHaveCount(0);
    await expect(
      page.getByTestId("service-tcp").locator('[data-testid="tcp-health"], [data-state="empty"]'),
    ).toBeVisible({ timeout: 30_000 });

    // Hover shows the tooltip; a drag across the rate chart zooms the frame to an absolute range.
    const overlay = page.getByTestId("chart-rate").getByTestId("chart-overlay");
    const box = await overlay.boundingBox();
    if (!box) throw new Error("the rate chart has no plot area");
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.5, y);
    await expect(page.getByTestId("chart-rate").getByRole("status")).toContainText("requests/s");
    await expectNoSeriousA11yViolations(page, `/services/${name}`);
    await page.screenshot({ path: output("service-page.png"), fullPage: true });

    expect(new URL(page.url()).searchParams.get("from")).toBeNull();
    // The demo started a minute or two ago: drag across the chart's right end, where its traffic is.
    await page.mouse.move(box.x + box.width * 0.88, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.995, y, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => new URL(page.url()).searchParams.get("from")).not.toBeNull();
    const zoomed = new URL(page.url()).searchParams;
    const zoomedFrom = zoomed.get("from") ?? "";
    const spanMs = Date.parse(zoomed.get("to") ?? "") - Date.parse(zoomedFrom);
    // About 11.5 % of the default 15 minutes (~1.7 min), give or take rounding to whole seconds.
    expect(spanMs).toBeGreaterThan(60_000);
    expect(spanMs).toBeLessThan(3 * 60_000);
    await expect(servicePage).toHaveAttribute("data-service", name);
    // The figures now describe the zoomed range, and it holds the demo's traffic.
    const totals = page.getByTestId("service-totals");
    await expect(totals).toHaveAttribute("data-from", new Date(Date.parse(zoomedFrom)).toISOString());
    await expect(totals.locator('[data-figure="requests"] dd')).not.toHaveText("0");
    await expect(page.getByTestId("chart-rate").locator("path.ts-chart__line").first()).toBeVisible();
    await page.screenshot({ path: output("service-page-zoomed.png"), fullPage: true });

    // Back restores the relative range.
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get("from")).toBeNull();

    // The same page from the dark tokens: contrast is checked again, since every colour changed.
    await page.emulateMedia({ colorScheme: "dark" });
    await expect(page.getByTestId("endpoint-row").first()).toBeVisible();
    await page.mouse.move(0, 0);
    await expectNoSeriousA11yViolations(page, `/services/${name} (dark)`);
    await page.screenshot({ path: output("service-page-dark.png"), fullPage: true });
  } finally {
    await traffic.stop();
  }
});

test("a service nobody called shows empty states, not errors", async ({ page }) => {
  await page.goto(`/services/${encodeURIComponent("no-such-service/e2e")}`);
  await expect(page.getByTestId("service-page")).toHaveAttribute("data-service", "no-such-service/e2e");
  await expect(page.getByTestId("service-endpoints").locator('[data-state="empty"]')).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByTestId("service-upstream").locator('[data-state="empty"]')).toBeVisible();
  await expect(page.getByTestId("service-downstream").locator('[data-state="empty"]')).toBeVisible();
  await expect(page.getByTestId("service-tcp").locator('[data-state="empty"]')).toBeVisible();
  await expect(page.getByTestId("service-red").locator('[data-state="empty"]')).toBeVisible();
  await expect(page.locator('[data-state="error"]')).toHaveCount(0);
});
