// The requests explorer against the real stack: demo checkouts flow while the test
// filters by service, opens a request's detail, narrows the list by dragging across
// the latency heatmap, exports what is listed, and checks that the heatmap draws the
// API's exact counts (GET /api/v1/heatmap) cell by cell.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { driveCheckouts } from "./demoTraffic.ts";
import { API_TOKEN_ENV, API_URL_ENV, DEMO_URL_ENV } from "./stackOptions.ts";

const output = (name: string) => fileURLToPath(new URL(`./output/${name}`, import.meta.url));
const FRONTEND = "shop/frontend";

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const rows = (page: Page) => page.getByTestId("request-list-row");

/** Waits until the listed rows answer a query matching `query` (old rows stay while a new query loads). */
async function settled(page: Page, query: RegExp) {
  const list = page.getByTestId("request-list-scroll");
  await expect(list).toHaveAttribute("data-query", query, { timeout: 20_000 });
  await expect(list).toHaveAttribute("aria-busy", "false");
}

async function rowAttributes(list: Locator, name: string): Promise<string[]> {
  return list.evaluateAll((els, attr) => els.map((el) => el.getAttribute(attr) ?? ""), name);
}

type HeatmapBody = {
  rows: { fromMs: number }[];
  columns: { time: string; errors: number; counts: number[] }[];
};

/** Non-empty cells and error counts as "time|row from ms|count" and "time|errors", sorted. */
function heatmapFigures(cells: string[], errors: string[]) {
  return { cells: [...cells].sort(), errors: [...errors].sort() };
}

/** What the drawn heatmap's API queries answer, straight from the collector, in heatmapFigures' form. */
async function apiHeatmap(paths: string[]) {
  const cells = new Map<string, number>();
  const errors = new Map<string, number>();
  for (const path of paths) {
    const response = await fetch(`${process.env[API_URL_ENV]}${path}`, {
      headers: { authorization: `Bearer ${process.env[API_TOKEN_ENV]}` },
    });
    expect(response.status, path).toBe(200);
    const body = (await response.json()) as HeatmapBody;
    for (const column of body.columns) {
      const time = new Date(column.time).toISOString();
      if (column.errors > 0) errors.set(time, (errors.get(time) ?? 0) + column.errors);
      column.counts.forEach((count, row) => {
        const key = `${time}|${body.rows[row]?.fromMs}`;
        if (count > 0) cells.set(key, (cells.get(key) ?? 0) + count);
      });
    }
  }
  return heatmapFigures(
    [...cells].map(([key, count]) => `${key}|${count}`),
    [...errors].map(([time, count]) => `${time}|${count}`),
  );
}

test("requests: filter by service, open a detail, select a heatmap region, export", async ({ page }) => {
  // Step 6 waits for a whole minute of the demo's series to close: on a stack that has
  // just started that is up to two minutes on top of the rest.
  test.setTimeout(300_000);
  const demoUrl = process.env[DEMO_URL_ENV];
  expect(demoUrl, `${DEMO_URL_ENV} is set by globalSetup`).toBeTruthy();
  const traffic = driveCheckouts(demoUrl as string, 100);
  try {
    await expect
      .poll(() => traffic.succeeded, {
        message: `demo /checkout answers 200 (last error: ${traffic.lastError})`,
      })
      .toBeGreaterThan(0);

    // Unfiltered first: the demo's requests arrive (the list is a live relative range).
    await page.goto("/requests");
    await expect(page.getByRole("heading", { name: "Requests", level: 1 })).toBeVisible();
    await expect
      .poll(
        async () => {
          await page.reload();
          await page
            .getByTestId("request-list-count")
            .filter({ hasText: /loaded/ })
            .waitFor({ timeout: 15_000 });
          return (await rowAttributes(rows(page), "data-service")).filter((s) => s.includes(FRONTEND)).length;
        },
        { timeout: 90_000, message: `requests of ${FRONTEND} are listed` },
      )
      .toBeGreaterThan(0);

    // The table renders only the rows in view and fetches the next page (by the API's
    // cursor) when scrolled near the end of what is loaded.
    const scroller = page.getByTestId("request-list-scroll");
    await expect
      .poll(
        async () => {
          await page.reload();
          await page
            .getByTestId("request-list-count")
            .filter({ hasText: /loaded/ })
            .waitFor({ timeout: 15_000 });
          return Number(await scroller.getAttribute("data-rows-loaded"));
        },
        { timeout: 60_000, message: "a full first page (200 records) is listed" },
      )
      .toBe(200);
    await scroller.evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    await expect
      .poll(async () => Number(await scroller.getAttribute("data-rows-loaded")))
      .toBeGreaterThan(200);
    expect(await rows(page).count()).toBeLessThan(Number(await scroller.getAttribute("data-rows-loaded")));

    // 1. Filter by service through the filter bar (with the names API's suggestions).
    // The picker's names are fetched once per whole-minute range; on a stack that has
    // just started, the first fetch can come before the demo's first roll-up.
    const frontendOption = page.locator(`#names-service option[value="${FRONTEND}"]`);
    await expect
      .poll(
        async () => {
          if ((await frontendOption.count()) === 0) {
            await page.reload();
            await frontendOption.waitFor({ state: "attached", timeout: 10_000 }).catch(() => {});
          }
          return frontendOption.count();
        },
        { timeout: 90_000, message: `the service picker suggests ${FRONTEND}` },
      )
      .toBe(1);
    // The header has the frame's own service picker too; this is the explorer's form.
    const filterBar = page.getByTestId("filter-bar");
    await filterBar.getByLabel("Service", { exact: true }).fill(FRONTEND);
    await filterBar.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/service=shop%2Ffrontend/);
    await settled(page, /service=shop%2Ffrontend/);
    await expect(rows(page).first()).toBeVisible();
    const services = await rowAttributes(rows(page), "data-service");
    expect(services.length).toBeGreaterThan(0);
    for (const pair of services) expect(pair.split("|")).toContain(FRONTEND);
    // Exact counts come from the metric series for the chosen service.
    await expect(page.getByTestId("metric-totals")).toContainText(`for ${FRONTEND}`);
    await expect(page.getByTestId("metric-count-strip")).toBeVisible();

    // 2. Open a row's detail: both observations, status, target, ends.
    // One row by its id: the live list may re-render between reading and clicking.
    const firstId = await rows(page).first().getAttribute("data-id");
    const first = page.locator(`[data-testid="request-list-row"][data-id="${firstId}"]`);
    const listedStatus = (await first.getByTestId("request-row-status").textContent())?.trim() ?? "";
    // Each protocol's own status: "200", "OK" or "14 UNAVAILABLE" for gRPC, "NXDOMAIN"…
    expect(listedStatus).toMatch(/^(\d{3}|OK|error|—|\d{1,2} [A-Z_]+|no status)$/);
    await first.getByRole("button").click();
    const drawer = page.getByTestId("request-detail");
    await expect(drawer).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`request=${encodeURIComponent(firstId ?? "")}`));
    await expect(drawer.getByTestId("request-detail-observations").locator("tbody tr")).not.toHaveCount(0);
    await expect(drawer.getByTestId("request-detail-status")).toHaveText(listedStatus);
    await expect(drawer.getByText("Client", { exact: true })).toBeVisible();
    // Each end says where it ran, down to its container (the demo runs on the host).
    for (const end of ["client", "server"]) {
      await expect(drawer.getByTestId(`request-detail-${end}-end`)).toContainText(
        /Container\s*(none reported \(not in a container\)|—|[0-9a-f]{12}\s*Copy)/,
      );
    }
    await expect(drawer.getByText(/TCP connection/i)).toBeVisible();
    await expect(drawer.getByTestId("tcp-health").or(drawer.getByTestId("tcp-health-none"))).toBeVisible({
      timeout: 15_000,
    });
    await page.screenshot({ path: output("requests-detail.png"), fullPage: false });
    expect(await seriousViolations(page)).toEqual([]);
    await drawer.getByRole("button", { name: "Close request detail" }).click();
    await expect(drawer).toHaveCount(0);

    // 3. Drag across the right half of the heatmap (all durations): the list narrows
    //    to that time window.
    const overlay = page.getByTestId("heatmap-overlay");
    await expect(page.getByTestId("latency-heatmap")).not.toHaveAttribute("data-cells", "0");
    const box = await overlay.boundingBox();
    if (!box) throw new Error("heatmap not laid out");
    const before = await rowAttributes(rows(page), "data-time");
    await page.mouse.move(box.x + box.width * 0.5, box.y + 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + box.width - 2, box.y + box.height - 2, { steps: 4 });
    await page.mouse.up();
    await expect(page).toHaveURL(/selFrom=\d+&selTo=\d+/);
    await expect(page.getByTestId("heatmap-selection")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Requests in the selection" })).toBeVisible();
    const url = new URL(page.url());
    const selFrom = Number(url.searchParams.get("selFrom"));
    const selTo = Number(url.searchParams.get("selTo"));
    await settled(page, new RegExp(`from=${selFrom}&`));
    await expect
      .poll(
        async () => {
          const times = (await rowAttributes(rows(page), "data-time")).map((t) => Date.parse(t));
          return times.length > 0 && times.every((t) => t >= selFrom && t < selTo);
        },
        { message: "every listed request lies in the selected window" },
      )
      .toBe(true);
    const outside = before.map((t) => Date.parse(t)).filter((t) => t < selFrom);
    const after = new Set(await rowAttributes(rows(page), "data-time"));
    for (const t of outside) expect(after.has(new Date(t).toISOString())).toBe(false);
    await page.screenshot({ path: output("requests.png"), fullPage: true });

    // 4. Export what is listed, as CSV and as JSON.
    const listed = await rows(page).count();
    const loaded = Number(await page.getByTestId("request-list-scroll").getAttribute("data-rows-loaded"));
    expect(listed).toBeGreaterThan(0);
    const [csv] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^periscope-requests-\d{8}T\d{6}Z\.csv$/);
    const csvLines = readFileSync((await csv.path()) as string, "utf8")
      .trimEnd()
      .split("\r\n");
    expect(csvLines[0]).toMatch(/^id,time,protocol,side,client_service/);
    expect(csvLines).toHaveLength(loaded + 1);
    const [json] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export JSON" }).click(),
    ]);
    const exported = JSON.parse(readFileSync((await json.path()) as string, "utf8"));
    expect(exported.requests).toHaveLength(loaded);
    expect(exported.query.service).toBe(FRONTEND);
    expect(exported.query.from).toBe(String(selFrom));

    // 5. The same selection by keyboard: clear, then arrows and Shift+arrows, Enter.
    await page.getByTestId("clear-selection").click();
    await expect(page).not.toHaveURL(/selFrom=/);
    await expect(page.getByTestId("heatmap-selection")).toHaveCount(0);
    await page.getByRole("application", { name: /Latency heatmap selection/ }).focus();
    await page.keyboard.press("ArrowUp");
    for (let i = 0; i < 5; i++) await page.keyboard.press("Shift+ArrowLeft");
    await page.keyboard.press("Shift+ArrowUp");
    await expect(page.getByTestId("heatmap-selection")).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/selFrom=\d+&selTo=\d+/);
    await expect(page.getByRole("heading", { name: "Requests in the selection" })).toBeVisible();

    expect(await seriousViolations(page)).toEqual([]);
    await expect(page.getByTestId("api-error-banner")).toHaveCount(0);

    // 6. The heatmap draws the metric series' exact counts: every cell and every
    //    slice's errors equal what GET /api/v1/heatmap answers for the same query.
    //    A closed window (ending at the last whole minute that ended 20 s ago or more;
    //    agents send series every 5 s) keeps both sides still while they are compared.
    let compared = 0;
    await expect
      .poll(
        async () => {
          const to = Math.floor((Date.now() - 20_000) / 60_000) * 60_000;
          const from = to - 5 * 60_000;
          await page.goto(
            `/requests?service=${encodeURIComponent(FRONTEND)}&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`,
          );
          const drawn = page.getByTestId("heatmap-drawn");
          await drawn.or(page.getByTestId("heatmap-empty")).waitFor({ timeout: 15_000 });
          if ((await drawn.count()) === 0) return "no requests in the window yet";
          const paths = ((await drawn.getAttribute("data-paths")) ?? "").split(" ");
          expect(paths).toEqual([expect.stringMatching(/^\/api\/v1\/heatmap\?.*service=shop%2Ffrontend/)]);
          expect(paths[0]).toContain(`from=${from}&to=${to}`);
          const ui = heatmapFigures(
            await page
              .getByTestId("heatmap-cell")
              .evaluateAll((els) =>
                els.map(
                  (el) =>
                    `${el.getAttribute("data-column-time")}|${el.getAttribute("data-row-from")}|${el.getAttribute("data-count")}`,
                ),
              ),
            await page
              .getByTestId("heatmap-column-errors")
              .evaluateAll((els) =>
                els.map((el) => `${el.getAttribute("data-column-time")}|${el.getAttribute("data-errors")}`),
              ),
          );
          const api = await apiHeatmap(paths);
          // A difference is retried (a late series could land between the two reads)
          // and shown in full if it persists.
          if (JSON.stringify(ui) !== JSON.stringify(api))
            return `drawn ${JSON.stringify(ui)} but the API counts ${JSON.stringify(api)}`;
          compared = api.cells.length;
          return compared > 0 ? "drawn as the API counts" : "no cells";
        },
        { timeout: 150_000, message: "the heatmap's cells equal GET /api/v1/heatmap's counts" },
      )
      .toBe("drawn as the API counts");
    expect(compared).toBeGreaterThan(0);
    await expect(page.getByTestId("heatmap-source")).toContainText(
      `Exact counts from the metric series (every request, not the sampled records) of calls served by ${FRONTEND}`,
    );
    await page.getByTestId("latency-heatmap").screenshot({ path: output("requests-heatmap.png") });
  } finally {
    await traffic.stop();
  }
});
