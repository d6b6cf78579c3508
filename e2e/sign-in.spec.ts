// Sign-in with the UI configured to require it (PERISCOPE_UI_SIGN_IN=required):
// a second UI server on the stack's collector. Tokens are minted with the
// stack's admin token, as an operator would.
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { API_TOKEN_ENV, API_URL_ENV, UI_PORT } from "./stackOptions.ts";
import { startUiServer, type UiServer } from "./uiServer.ts";

const output = (name: string) => fileURLToPath(new URL(`./output/${name}`, import.meta.url));
const SIGN_IN_UI_PORT = Number(process.env.PERISCOPE_E2E_SIGN_IN_UI_PORT ?? UI_PORT + 7);

let ui: UiServer;
const minted: Record<"viewer" | "admin", string> = { viewer: "", admin: "" };
// Other specs mint tokens on the same collector: names unique to this run.
const run = Date.now().toString(36);
const tokenName = (what: string) => `sign-in ${what} ${run}`;

test.beforeAll(async () => {
  const apiUrl = process.env[API_URL_ENV] as string;
  for (const role of ["viewer", "admin"] as const) {
    const response = await fetch(`${apiUrl}/api/v1/tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${process.env[API_TOKEN_ENV]}`, "content-type": "application/json" },
      body: JSON.stringify({ name: tokenName(role), role }),
    });
    expect(response.status).toBe(201);
    minted[role] = ((await response.json()) as { token: string }).token;
  }
  ui = await startUiServer(SIGN_IN_UI_PORT, { PERISCOPE_API_URL: apiUrl, PERISCOPE_UI_SIGN_IN: "required" });
});

test.afterAll(async () => {
  await ui?.stop();
});

test("a viewer signs in, reads, cannot share or manage tokens, and signs out", async ({ page }) => {
  await page.goto(`${ui.url}/requests?range=1h`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Frequests%3Frange%3D1h/);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);

  await page.getByLabel("API token").fill("psk_not-a-token-anyone-knows");
  await page.getByRole("button", { name: "Sign in" }).click();
  // Next's route announcer is an alert too: the sign-in form's own message is the one that says why.
  await expect(page.getByRole("alert").filter({ hasText: "unknown or revoked" })).toBeVisible();

  await page.getByLabel("API token").fill(minted.viewer);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/requests\?range=1h$/);

  // The token lives only in an HttpOnly cookie: the page's scripts cannot read it.
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === "periscope_session");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict" });
  expect(await page.evaluate(() => document.cookie)).not.toContain(minted.viewer);

  // Reads go through with the viewer's own token; writes are refused by role.
  const read = await page.evaluate(async () => (await fetch("/api/v1/agents")).status);
  expect(read).toBe(200);
  const share = await page.evaluate(async () => {
    const response = await fetch("/api/v1/links", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: Date.now() - 60_000, to: Date.now(), view: {} }),
    });
    return { status: response.status, body: await response.text() };
  });
  expect(share.status).toBe(403);
  expect(share.body).toContain("the token has viewer");

  await page.goto(`${ui.url}/settings`);
  await expect(page.getByTestId("session-identity")).toContainText(tokenName("viewer"));
  await expect(page.getByText(/Only admins manage tokens/)).toBeVisible();
  await page.screenshot({ path: output("settings-viewer.png"), fullPage: true });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto(`${ui.url}/settings`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings/);
});

test("an admin manages tokens from the settings page", async ({ page }) => {
  await page.goto(`${ui.url}/sign-in?next=/settings`);
  await page.getByLabel("API token").fill(minted.admin);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByTestId("session-identity")).toContainText("admin");
  await expect(page.getByTestId("token-row").filter({ hasText: tokenName("viewer") })).toBeVisible();

  await page.getByRole("textbox", { name: "Name", exact: true }).fill(tokenName("minted here"));
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Create token" }).click();
  const mintedHere = (await page.getByTestId("minted-token").locator("code").textContent()) ?? "";
  expect(mintedHere).toMatch(/^psk_/);
  const row = page.getByTestId("token-row").filter({ hasText: tokenName("minted here") });
  await expect(row).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  await page.screenshot({ path: output("settings-admin.png"), fullPage: true });

  await row.getByRole("button", { name: /Revoke/ }).click();
  await expect(row).toHaveCount(0);
  // The revoked token no longer signs anyone in.
  const refused = await page.request.post(`${ui.url}/auth/session`, { data: { token: mintedHere } });
  expect(refused.status()).toBe(401);
});
