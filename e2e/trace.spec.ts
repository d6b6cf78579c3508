// The trace view against the real stack: a checkout sent with a known W3C trace id
// crosses the demo's services (shop → orders → billing); its page shows the spans as
// a waterfall with the critical path, and a span opens its request.
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { tracedCheckout } from "./demoTraffic.ts";
import { DEMO_URL_ENV } from "./stackOptions.ts";

const output = (name: string) => fileURLToPath(new URL(`./output/${name}`, import.meta.url));

test("trace: a traced checkout's waterfall with its critical path; a span opens its request", async ({
  page,
}) => {
  const demoUrl = process.env[DEMO_URL_ENV];
  expect(demoUrl, `${DEMO_URL_ENV} is set by globalSetup`).toBeTruthy();

  // A few checkouts (one in ~12 fails on purpose); keep the id of one that answered 200.
  let traceId = "";
  await expect
    .poll(
      async () => {
        const result = await tracedCheckout(demoUrl as string).catch(() => undefined);
        if (result?.status === 200) traceId = result.traceId;
        return traceId;
      },
      { timeout: 60_000, message: "a traced checkout answers 200" },
    )
    .not.toBe("");

  // The agent exports in batches: wait until the collector holds the chain's spans.
  await expect
    .poll(
      async () => {
        const response = await page.request.get(`/api/v1/trace/${traceId}`);
        if (!response.ok()) return 0;
        return ((await response.json()) as { spans: unknown[] }).spans.length;
      },
      { timeout: 90_000, message: `GET /api/v1/trace/${traceId} returns the checkout's spans` },
    )
    .toBeGreaterThanOrEqual(3);

  // The lookup page takes a trace id and opens its waterfall.
  await page.goto("/traces");
  await page.getByLabel(/Trace id/).fill(traceId.toUpperCase());
  await page.getByRole("button", { name: "Open trace" }).click();
  await expect(page).toHaveURL(new RegExp(`/traces/${traceId}$`));

  const waterfall = page.getByTestId("trace-waterfall");
  await expect(waterfall).toBeVisible({ timeout: 30_000 });
  const spans = page.getByTestId("trace-span");
  expect(await spans.count()).toBeGreaterThanOrEqual(3);
  await expect(waterfall).toContainText("shop/frontend");
  await expect(waterfall).toContainText(/orders\/orders|orders\/stock|orders\/courier/);
  // The root span always carries part of the critical path (its end is where the walk starts).
  await expect(spans.first()).toHaveAttribute("data-critical", "true");
  await expect(
    page.locator('[data-testid="trace-span"][data-critical="true"] .waterfall__critical').first(),
  ).toBeVisible();
  // The slow courier quote (250–450 ms) dominates a checkout: on the path when it is in the trace.
  const courier = spans.filter({ hasText: "orders/courier" });
  if ((await courier.count()) > 0) await expect(courier.first()).toHaveAttribute("data-critical", "true");
  // The header counts the services that own spans; the test's own client, which
  // called the root and owns no span, is named apart.
  const owners = new Set(await spans.locator(".waterfall__service").allTextContents());
  await expect(page.locator("#waterfall-title")).toHaveText(
    new RegExp(` · ${await spans.count()} spans · ${owners.size} services · \\+1 caller outside the trace$`),
  );
  await page.screenshot({ path: output("trace.png"), fullPage: true });

  const violations = (await new AxeBuilder({ page }).analyze()).violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(violations).toEqual([]);

  // A span opens its request in the detail drawer, whose trace link leads back here.
  await spans.nth(1).getByRole("button").first().click();
  const drawer = page.getByTestId("request-detail");
  await expect(drawer).toBeVisible();
  await expect(page).toHaveURL(/request=/);
  await expect(drawer.getByTestId("request-detail-trace-link")).toHaveText(traceId);
  await page.screenshot({ path: output("trace-detail.png") });
});

test("trace: an unknown trace id shows an explained empty state", async ({ page }) => {
  await page.goto("/traces/0123456789abcdef0123456789abcdef");
  await expect(page.getByTestId("trace-error")).toContainText("No requests of this trace are stored");
  await page.goto("/traces/not-a-trace");
  await expect(page.getByTestId("trace-error")).toContainText("32 hexadecimal digits");
});
