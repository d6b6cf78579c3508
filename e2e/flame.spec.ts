// The Profiles page, in two parts, said plainly:
//  1. against the real stack: the agent's profiler samples the demo, the page
//     shows the CPU-heavy service's real graph and finds its hot function, and
//     a process that never ran gives the real API's empty answer;
//  2. the viewer on fixture data, where exact numbers are checked: /api/v1/flamegraph answers are replaced in the
//     browser by the collector's own flame-tree output for named stacks
//     (packages/ui/src/fixtures/flame-checkout-*.json); everything else — the
//     services list, the page, the URL state — is real.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { driveCheckouts } from "./demoTraffic.ts";
import { syntheticGraph } from "./flameSynthetic.ts";
import { DEMO_URL_ENV } from "./stackOptions.ts";

const output = (name: string) => fileURLToPath(new URL(`./output/${name}`, import.meta.url));
const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../packages/ui/src/fixtures/${name}`, import.meta.url)), "utf8");
const BEFORE = fixture("flame-checkout-before.json");
const AFTER = fixture("flame-checkout-after.json");

// An absolute range, so the comparison's baseline ("the range just before") is known.
const FROM = "2026-12-08T02:00:00.000Z";
const TO = "2026-12-08T02:15:00.000Z";
const ROW = 18; // FlameCanvas's ROW_HEIGHT

/** Fraction of the width and nesting level of a frame in the "before" fixture (1,000 samples, 7 rows). */
const FRAMES = {
  main: { from: 0, to: 0.9, level: 1 },
  isPrime: { from: 0, to: 0.3, level: 5 },
  parseBody: { from: 0.45, to: 0.57, level: 3 },
  handleCheckout: { from: 0, to: 0.45, level: 3 },
};

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`,
    );
}

/**
 * A point in a frame, in page coordinates, for the default icicle (root-at-top) layout:
 * its middle (for the mouse) or one pixel below its top edge, above the label's
 * glyphs, where only the frame's fill (or a search match's outline) is painted.
 */
async function framePoint(
  canvas: Locator,
  frame: { from: number; to: number; level: number },
  where: "middle" | "fill" = "middle",
) {
  const box = await canvas.boundingBox();
  if (!box) throw new Error("canvas not laid out");
  const top = box.y + frame.level * ROW;
  return {
    x: box.x + box.width * ((frame.from + frame.to) / 2),
    y: where === "middle" ? top + ROW / 2 : top + 1,
  };
}

/** The canvas pixel at a page point, as [r, g, b]. */
async function pixelAt(canvas: Locator, point: { x: number; y: number }): Promise<number[]> {
  return canvas.evaluate((element, p) => {
    const c = element as HTMLCanvasElement;
    const box = c.getBoundingClientRect();
    const ratio = c.width / box.width;
    const data = c
      .getContext("2d")
      ?.getImageData(Math.round((p.x - box.left) * ratio), Math.round((p.y - box.top) * ratio), 1, 1).data;
    return data ? [data[0] ?? 0, data[1] ?? 0, data[2] ?? 0] : [];
  }, point);
}

test("profiles: the demo's real CPU profile, its hot function found by search, and the empty state", async ({
  page,
}) => {
  const demoUrl = process.env[DEMO_URL_ENV];
  expect(demoUrl, `${DEMO_URL_ENV} is set by globalSetup`).toBeTruthy();
  const traffic = driveCheckouts(demoUrl as string);
  try {
    await page.goto("/flame");
    await expect(page.getByRole("heading", { level: 1, name: "Profiles" })).toBeVisible();
    const service = page.getByTestId("flame-service");
    // The demo's services reach the services API once the agent has seen traffic.
    await expect
      .poll(async () => (await service.locator("option").allTextContents()).length, {
        timeout: 60_000,
        message: "the service picker lists the demo's services",
      })
      .toBeGreaterThan(1);
    const values = await service
      .locator("option")
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    // The demo's CPU-heavy service (demo/src/fraud.ts), else any demo workload ("<namespace>/<name>").
    const chosen =
      values.find((value) => value.endsWith("/fraud")) ?? values.find((value) => value.includes("/"));
    expect(chosen, `a demo service among ${values.join(", ")}`).toBeTruthy();
    const name = chosen as string;

    // The agent's profiler sends samples every interval (<= 15 s): wait for the API to have some.
    await expect
      .poll(
        async () => {
          const api = await page.request.get(`/api/v1/flamegraph?service=${encodeURIComponent(name)}`);
          return api.ok() ? ((await api.json()).total as number) : -1;
        },
        { timeout: 90_000, intervals: [2_000], message: `CPU samples for ${name} in the flame graph API` },
      )
      .toBeGreaterThan(0);

    await service.selectOption(name);
    await expect.poll(() => new URL(page.url()).searchParams.get("service")).toBe(name);
    const canvas = page.getByTestId("flame-canvas").locator("canvas");
    await expect
      .poll(async () => Number(await canvas.getAttribute("data-frames")), { timeout: 30_000 })
      .toBeGreaterThan(1);
    await expect(page.getByTestId("flame-top-row").first()).toBeVisible();
    if (name.endsWith("/fraud")) {
      // The hot loop is a named JavaScript function (issue #12's demo requirement).
      await page.getByTestId("flame-search").fill("scoreFraudRiskHotLoop");
      await expect(page.getByTestId("flame-search-result")).toHaveText(
        /^matched (?!0\.0%)[\d.]+% of samples/,
        {
          timeout: 30_000,
        },
      );
    }
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: output("flame-real.png"), fullPage: true });

    // Node: the stack's one agent took every sample, so narrowing to it keeps the graph.
    const node = page.getByTestId("flame-node");
    await expect.poll(() => node.locator("option").count(), { timeout: 30_000 }).toBeGreaterThan(1);
    const agentId = (await node.locator("option").nth(1).getAttribute("value")) as string;
    const askedNode = page.waitForRequest((request) =>
      request.url().includes(`node=${encodeURIComponent(agentId)}`),
    );
    await node.selectOption(agentId);
    await askedNode;
    await expect
      .poll(async () => Number(await canvas.getAttribute("data-frames")), { timeout: 30_000 })
      .toBeGreaterThan(1);
    await node.selectOption("");

    // Pid suggestions come from the service's real requests; choosing one narrows the query.
    const pids = page.getByTestId("flame-pid-options").locator("option");
    await expect
      .poll(() => pids.count(), { timeout: 30_000, message: "pids seen serving the service" })
      .toBeGreaterThan(0);
    const pid = (await pids.first().getAttribute("value")) as string;
    const asked = page.waitForRequest((request) => request.url().includes(`pid=${pid}`));
    await page.getByTestId("flame-pid").fill(pid);
    await asked;
    await expect(page).toHaveURL(new RegExp(`pid=${pid}`));

    // A process that never ran: the real API answers an empty graph and the page says why.
    await page.getByTestId("flame-pid").fill("4294967295");
    await expect(page.getByTestId("flame-empty")).toContainText(
      "No profiles in this range — is the profiler on?",
    );
    await expect(page.getByTestId("flame-empty")).toContainText(`${name} has no CPU samples`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: output("flame-empty.png"), fullPage: true });
  } finally {
    await traffic.stop();
  }
});

test("profiles: frames, tooltip, search, zoom, icicle, sandwich and diff on fixture graphs", async ({
  page,
}) => {
  const asked: string[] = [];
  // The single-graph checks read the "before" fixture's geometry; in diff mode the
  // baseline (the range that ends where the page's starts) gets "before", the page's range "after".
  let mode: "single" | "diff" = "single";
  await page.route("**/api/v1/flamegraph?**", async (route) => {
    const url = new URL(route.request().url());
    asked.push(url.search);
    const baseline = Date.parse(url.searchParams.get("to") ?? "") <= Date.parse(FROM);
    const body = mode === "single" || baseline ? BEFORE : AFTER;
    await route.fulfill({ contentType: "application/json", body });
  });

  await page.goto(`/flame?from=${FROM}&to=${TO}&service=shop%2Fcheckout`);
  const canvas = page.getByTestId("flame-canvas").locator("canvas");
  await expect(canvas).toHaveAttribute("data-frames", "19");
  await expect(canvas).toHaveAttribute("data-rows", "7");
  const rows = page.getByTestId("flame-top-row");
  await expect(rows.first().locator('[data-column="name"]')).toHaveText("JS:*isPrime");
  await expect(rows.first().locator('[data-column="self"]')).toContainText("300 (30.0%)");
  await expect(page.getByTestId("flame-legend")).toContainText("JavaScript (JIT)");

  // Tooltip: self and total of the hot frame.
  const hot = await framePoint(canvas, FRAMES.isPrime);
  await page.mouse.move(hot.x, hot.y);
  await expect(page.getByTestId("flame-tooltip")).toContainText("JS:*isPrime");
  await expect(page.getByTestId("flame-tooltip")).toContainText("total 300 samples (30.0%)");
  await expect(page.getByTestId("flame-tooltip")).toContainText("self 300 samples (30.0%)");
  await page.mouse.move(0, 0);

  // Search: a recursive function's nested matches count once (10 %, not 20 %).
  await page.getByTestId("flame-search").fill("walk");
  await expect(page.getByTestId("flame-search-result")).toHaveText("matched 10.0% of samples (3 frames)");
  await expect(page).toHaveURL(/q=walk/);
  // Highlighting: frames that do not match are drawn in the dimmed colour, matches in their own.
  const dimmed = [229, 231, 235];
  expect(await pixelAt(canvas, await framePoint(canvas, FRAMES.main, "fill"))).toEqual(dimmed);
  await page.getByTestId("flame-search").fill("/^main$/");
  await expect(page.getByTestId("flame-search-result")).toHaveText("matched 90.0% of samples (1 frame)");
  expect(await pixelAt(canvas, await framePoint(canvas, FRAMES.main, "fill"))).not.toEqual(dimmed);
  await page.getByTestId("flame-search").fill("/(/");
  await expect(page.getByTestId("flame-search-result")).toContainText("invalid regular expression");
  await page.getByTestId("flame-search").fill("");
  await page.screenshot({ path: output("flame-graph.png"), fullPage: true });

  // Zoom: click handleCheckout; its subtree fills the width, its ancestors stay as a trail.
  const centre = await framePoint(canvas, FRAMES.handleCheckout);
  await page.mouse.click(centre.x, centre.y);
  await expect(canvas).toHaveAttribute("data-focus", "handleCheckout");
  await expect(canvas).toHaveAttribute("data-frames", "7");
  await expect(page).toHaveURL(/focus=main%3BprocessTicksAndRejections%3BhandleCheckout/);
  await expect(page.getByRole("navigation", { name: "Zoom trail" })).toContainText(
    "processTicksAndRejections",
  );
  await page.goBack();
  await expect(canvas).toHaveAttribute("data-focus", "total");
  await page.goForward();
  await expect(canvas).toHaveAttribute("data-focus", "handleCheckout");
  await page.getByRole("button", { name: "Reset zoom" }).click();
  await expect(canvas).toHaveAttribute("data-focus", "total");

  // Keyboard: Escape resets, arrows move, Enter zooms.
  await canvas.focus();
  await page.keyboard.press("ArrowDown"); // the widest child of the root: main
  await page.keyboard.press("Enter");
  await expect(canvas).toHaveAttribute("data-focus", "main");
  await page.keyboard.press("Escape");
  await expect(canvas).toHaveAttribute("data-focus", "total");

  // Flame: the root moves to the bottom row.
  await page.getByRole("button", { name: "Flame (root at bottom)" }).click();
  await expect(page).toHaveURL(/view=flame/);
  const box = await canvas.boundingBox();
  const flameRows = Number(await canvas.getAttribute("data-rows"));
  await page.mouse.move((box?.x ?? 0) + 20, (box?.y ?? 0) + (flameRows - 1) * ROW + ROW / 2);
  await expect(page.getByTestId("flame-tooltip")).toContainText("total 1,000 samples (100.0%)");
  await page.getByRole("button", { name: "Icicle (root at top)" }).click();
  await expect(page).not.toHaveURL(/view=/);

  // Sandwich: JSON.stringify's callers merged from its two call sites.
  await page
    .getByRole("button", { name: "Sandwich: callers and callees of JSON.stringify", exact: true })
    .click();
  const sandwich = page.getByTestId("flame-sandwich");
  await expect(sandwich).toContainText("on the stack in 16.0% of samples, called from 2 places");
  await expect(sandwich.getByTestId("flame-callers").locator("canvas")).toHaveAttribute("data-frames", "9");
  await expect(page).toHaveURL(/sandwich=JSON.stringify/);
  await page.screenshot({ path: output("flame-sandwich.png"), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
  await sandwich.getByRole("button", { name: "Close sandwich" }).click();

  // Diff against the range just before: baseline "before", comparison "after".
  mode = "diff";
  await page.getByTestId("flame-diff").selectOption("previous");
  await expect(page).toHaveURL(/diff=previous/);
  // The page's own range was fetched (as "before") in single mode and is not asked again for the
  // same URL; a reload asks for both ranges under the diff routing.
  await page.reload();
  await expect(page.getByTestId("flame-graph")).toHaveAttribute("data-kind", "diff");
  expect(asked.some((search) => search.includes("to=2026-12-08T02%3A00%3A00.000Z"))).toBe(true);
  await expect(page.getByTestId("flame-legend")).toContainText("regression (+20.0 pp at full red)");
  // isPrime went from 30 % to 50 % of samples: red; parseBody vanished: green.
  const diffIsPrime = await framePoint(canvas, { from: 0, to: 0.4, level: 5 });
  const diffParseBody = await framePoint(canvas, { from: 0.55, to: 0.61, level: 3 });
  const red = await pixelAt(canvas, { x: diffIsPrime.x, y: diffIsPrime.y - ROW / 2 + 1 });
  const green = await pixelAt(canvas, { x: diffParseBody.x, y: diffParseBody.y - ROW / 2 + 1 });
  expect((red[0] ?? 0) - (red[1] ?? 0)).toBeGreaterThan(100);
  expect((green[1] ?? 0) - (green[0] ?? 0)).toBeGreaterThan(60);
  await page.mouse.move(diffIsPrime.x, diffIsPrime.y);
  await expect(page.getByTestId("flame-tooltip")).toContainText(
    "change +20.0 percentage points (regression)",
  );
  await expect(page.getByTestId("flame-tooltip")).toContainText("total 1,000 of 2,000 samples (50.0%)");
  // The same diff as text, for screen readers and exact numbers.
  const diffRow = (name: string) =>
    page
      .getByTestId("flame-diff-row")
      .filter({ has: page.locator('[data-column="name"]', { hasText: name }) });
  await expect(diffRow("JS:*isPrime").locator('[data-column="change"]')).toHaveText("+20.0 pp · regression");
  await expect(diffRow("parseBody").locator('[data-column="change"]')).toHaveText(/12\.0 pp · improvement$/);
  await expect(diffRow("v8::internal::Heap::CollectGarbage").locator('[data-column="change"]')).toHaveText(
    /0\.0 pp · unchanged$/,
  );
  await page.screenshot({ path: output("flame-diff.png"), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // Dark theme: the page's tokens switch; frame fills keep dark text on light colours.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.getByTestId("flame-search").fill("isPrime");
  await expect(page.getByTestId("flame-search-result")).toContainText("matched");
  await page.screenshot({ path: output("flame-diff-dark.png"), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
});

test("profiles: every service split under synthetic namespace and service frames", async ({ page }) => {
  const demoUrl = process.env[DEMO_URL_ENV];
  const traffic = driveCheckouts(demoUrl as string);
  try {
    // Real services list, fixture graphs: each service's graph under its scope frames.
    await page.route("**/api/v1/flamegraph?**", (route) =>
      route.fulfill({ contentType: "application/json", body: BEFORE }),
    );
    await expect
      .poll(async () => ((await (await page.request.get("/api/v1/services")).json()).services ?? []).length, {
        timeout: 60_000,
        message: "the services API lists the demo's services",
      })
      .toBeGreaterThan(0);
    await page.goto("/flame");
    await page.getByTestId("flame-search").fill("/^service: /");
    const result = page.getByTestId("flame-search-result");
    await expect(result).toHaveText(/^matched 100\.0% of samples \(\d+ frames\)$/);
    // Each service frame holds one copy of the fixture's 1,000 samples; nothing else sits at the root.
    const services = Number(/\((\d+) frames\)/.exec((await result.textContent()) ?? "")?.[1]);
    expect(services).toBeGreaterThan(0);
    const canvas = page.getByTestId("flame-canvas").locator("canvas");
    await expect(canvas).toHaveAttribute(
      "aria-label",
      new RegExp(`^Flame graph of ${(services * 1000).toLocaleString("en-US")} samples`),
    );
    await expect(page.getByTestId("flame-legend")).toContainText("scope (node, namespace, service, pid)");
    await page.screenshot({ path: output("flame-split.png"), fullPage: true });
  } finally {
    await traffic.stop();
  }
});

test("profiles: a 20,000-frame graph is drawn and zoomed without freezing the page", async ({ page }) => {
  const big = syntheticGraph(20_000, { from: FROM, to: TO });
  expect(big.names.length).toBeGreaterThanOrEqual(20_000);
  const body = JSON.stringify(big);
  await page.route("**/api/v1/flamegraph?**", (route) =>
    route.fulfill({ contentType: "application/json", body }),
  );
  await page.goto(`/flame?from=${FROM}&to=${TO}&service=synthetic`);
  const canvas = page.getByTestId("flame-canvas").locator("canvas");
  await expect(canvas).toHaveAttribute("data-focus", "total");
  // Only frames at least a pixel wide are drawn: far fewer than the graph holds.
  // (The first render has no width yet, so wait for the laid-out one.)
  await expect.poll(async () => Number(await canvas.getAttribute("data-frames"))).toBeGreaterThan(300);
  const drawn = Number(await canvas.getAttribute("data-frames"));
  expect(drawn).toBeLessThan(big.names.length);

  // Time a zoom in the page itself: from the click to the next painted frame.
  const box = await canvas.boundingBox();
  const zoomMs = await page.evaluate(
    ({ x, y }) =>
      new Promise<number>((resolve) => {
        const target = document.elementFromPoint(x, y) as HTMLCanvasElement;
        const start = performance.now();
        const observer = new MutationObserver(() => {
          if (target.getAttribute("data-focus") !== "total") {
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - start));
          }
        });
        observer.observe(target, { attributes: true });
        target.dispatchEvent(new MouseEvent("click", { clientX: x, clientY: y, bubbles: true }));
      }),
    // The root's widest child sits one row below the root, at the left.
    { x: (box?.x ?? 0) + 5, y: (box?.y ?? 0) + ROW + ROW / 2 },
  );
  await expect(canvas).toHaveAttribute("data-focus", "fn_1");
  test.info().annotations.push({
    type: "zoom-ms",
    description: `${zoomMs.toFixed(0)} ms for ${big.names.length} frames`,
  });
  console.log(
    `flame graph: ${big.names.length} frames, ${drawn} drawn at the root, zoom repaint ${zoomMs.toFixed(0)} ms`,
  );
  // Generous for a shared 2-core machine; a per-frame SVG of this size takes seconds.
  expect(zoomMs).toBeLessThan(1000);
});

test("profiles: an API error is shown with the collector's message, not as an empty graph", async ({
  page,
}) => {
  await page.route("**/api/v1/flamegraph?**", (route) =>
    route.fulfill({
      status: 503,
      contentType: "application/json",
      body: JSON.stringify({ error: { code: "query_timeout", message: "the query ran past 30 s" } }),
    }),
  );
  await page.goto(`/flame?from=${FROM}&to=${TO}&service=shop%2Fcheckout`);
  const error = page.getByTestId("flame-error");
  await expect(error).toContainText("Could not load profiles.");
  await expect(error).toContainText("HTTP 503: the query ran past 30 s");
  await expect(page.getByTestId("flame-empty")).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
});
