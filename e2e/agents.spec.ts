// The agents page against the stack's own agent (it runs on this host, so its
// hostname and kernel are this machine's), the fleet config editor end to end
// (saved, pushed, applied), and a viewer's refused write on a sign-in UI.
import os from "node:os";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { API_TOKEN_ENV, API_URL_ENV, UI_PORT } from "./stackOptions.ts";
import { startUiServer } from "./uiServer.ts";

const output = (name: string) => fileURLToPath(new URL(`./output/${name}`, import.meta.url));
const VIEWER_UI_PORT = Number(process.env.PERISCOPE_E2E_AGENTS_VIEWER_UI_PORT ?? UI_PORT + 8);

async function seriousViolations(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

test("the agents page shows the stack's agent with this host's kernel, a recent last-seen and counter rates", async ({
  page,
}) => {
  await page.goto("/agents");
  const row = page.getByTestId("agent-row").filter({ hasText: os.hostname() }).first();
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row.locator('[data-column="kernel"]')).toHaveText(os.release());
  await expect(row.locator('[data-column="version"]')).toHaveText(/^\d+\.\d+\.\d+/);
  await expect(row.locator('[data-column="health"]')).toHaveText(/^(OK|Degraded)$/);
  // Agents batch at least every 10 s (heartbeats), so last-seen stays under a minute.
  await expect(row.locator('[data-column="last-seen"]')).toHaveText(/^\d{1,2} s ago$/);
  // Rates need two polls; the agent handles the stack's own traffic (UI ↔ collector).
  await expect(row.locator('[data-column="events"]')).toHaveText(/^[\d.,]+\/s$/, { timeout: 20_000 });
  await expect(row.locator('[data-column="records"]')).toContainText(/\/s/);
  await expect(row.locator('[data-column="losses"]')).toHaveText(/\/s · .*B\/s$/);

  await row.getByText(/Every counter as a rate/).click();
  const counters = row.getByTestId("drop-counters").locator("tbody tr");
  expect(await counters.count()).toBeGreaterThanOrEqual(25);
  await expect(counters.filter({ hasText: "Ring buffer full" }).locator("td").nth(1)).toHaveText(/\/s$/);

  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: output("agents.png"), fullPage: true });
});

test("a config edit is saved, pushed, and the agent's applied version catches up", async ({ page }) => {
  await page.goto("/agents");
  const row = page.getByTestId("agent-row").filter({ hasText: os.hostname() }).first();
  await expect(row).toBeVisible({ timeout: 30_000 });
  const editor = page.getByTestId("config-editor");
  await expect(editor).toBeVisible();

  // A bad value is explained before anything is sent.
  await page.getByTestId("config-captureBytes").fill("999999");
  await page.getByTestId("config-save").click();
  await expect(editor.getByText("Enter between 1 and 16,384")).toBeVisible();
  await expect(page.getByTestId("config-progress")).toHaveCount(0);

  const budget = 2000 + Math.floor(Math.random() * 1000);
  await page.getByTestId("config-captureBytes").fill("");
  await page.getByTestId("config-recordBudgetPerSecond").fill(String(budget));
  await editor.getByRole("checkbox", { name: "mqtt" }).uncheck();
  await page.getByTestId("config-save").click();

  const progress = page.getByTestId("config-progress");
  await expect(progress).toContainText(/Saved version \d+, sent to [1-9]\d* connected agent/);
  const version = Number((await progress.textContent())?.match(/Saved version (\d+)/)?.[1]);
  await expect(progress).toHaveAttribute("data-done", "true", { timeout: 30_000 });
  await expect(row.getByTestId("config-versions")).toHaveText(`v${version} / v${version}`);
  await expect(row.getByTestId("config-status")).toContainText(`Applied v${version}`);
  await page.screenshot({ path: output("agents-config-applied.png"), fullPage: true });

  // Stored in the collector, and loaded back into the editor on the next visit.
  const stored = await page.evaluate(async () => (await fetch("/api/v1/agents/config")).json());
  expect(stored).toMatchObject({
    version,
    config: { recordBudgetPerSecond: budget, disabledProtocols: ["mqtt"] },
  });
  await page.reload();
  await expect(page.getByTestId("config-recordBudgetPerSecond")).toHaveValue(String(budget));
  await expect(page.getByTestId("config-editor").getByRole("checkbox", { name: "mqtt" })).not.toBeChecked();
  await expect(page.getByTestId("config-current")).toContainText(`Version ${version}`);

  // Put capture back as it was for the specs that follow.
  await page.getByTestId("config-editor").getByRole("checkbox", { name: "mqtt" }).check();
  await page.getByTestId("config-recordBudgetPerSecond").fill("");
  await page.getByTestId("config-save").click();
  await expect(page.getByTestId("config-progress")).toHaveAttribute("data-done", "true", { timeout: 30_000 });
});

test("a viewer's save is refused with a clear 403", async ({ page }) => {
  const apiUrl = process.env[API_URL_ENV] as string;
  const response = await fetch(`${apiUrl}/api/v1/tokens`, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env[API_TOKEN_ENV]}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "e2e agents viewer", role: "viewer" }),
  });
  expect(response.status).toBe(201);
  const viewer = ((await response.json()) as { token: string }).token;
  const ui = await startUiServer(VIEWER_UI_PORT, {
    PERISCOPE_API_URL: apiUrl,
    PERISCOPE_UI_SIGN_IN: "required",
  });
  try {
    await page.goto(`${ui.url}/agents`);
    await page.getByLabel("API token").fill(viewer);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/agents$/);
    // Reading works with the viewer's token.
    await expect(page.getByTestId("agent-row").first()).toBeVisible({ timeout: 30_000 });
    await page.getByTestId("config-recordBudgetPerSecond").fill("1234");
    await page.getByTestId("config-save").click();
    const error = page.getByTestId("config-error");
    await expect(error).toContainText("Not allowed: your token may only read");
    await expect(error).toContainText("HTTP 403");
    await expect(page.getByTestId("config-progress")).toHaveCount(0);
    await page.screenshot({ path: output("agents-viewer-403.png"), fullPage: true });
  } finally {
    // The page holds the live stream open on that server; a server with an open
    // stream does not finish its graceful stop.
    await page.close();
    await ui.stop();
  }
});
