import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { driveCheckouts, type TrafficDriver } from "./demoTraffic.ts";
import { DEMO_URL_ENV } from "./stackOptions.ts";

const output = (name: string) => fileURLToPath(new URL(`./output/${name}`, import.meta.url));

/** The ids the map container says Cytoscape currently holds. */
async function idsOn(map: Locator, attribute: "data-nodes" | "data-edges"): Promise<string[]> {
  const raw = await map.getAttribute(attribute);
  const ids: unknown = JSON.parse(raw ?? "[]");
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
}

const isSynthetic = (id: string) => /^(group|collapsed|hidden):/.test(id);

/**
 * What the live Cytoscape instance draws, read from it (Cytoscape registers itself on
 * its container as _cyreg.cy): the canvas has no DOM text to assert on.
 */
interface DrawnElement {
  id: string;
  label: string;
  match: string;
  kind?: string;
  errorRatio: number;
  p99Ms: number;
  x: number;
  y: number;
}
async function drawn(map: Locator, group: "nodes" | "edges"): Promise<DrawnElement[]> {
  return map.evaluate((element, which) => {
    // biome-ignore lint/suspicious/noExplicitAny: Cytoscape's registry is untyped
    const cy = (element as any)._cyreg?.cy;
    if (!cy) throw new Error("no Cytoscape instance on the map container");
    const box = element.getBoundingClientRect();
    // biome-ignore lint/suspicious/noExplicitAny: Cytoscape element
    return cy[which]().map((e: any) => {
      const point = which === "nodes" ? e.renderedPosition() : e.renderedMidpoint();
      const model = which === "nodes" ? e.position() : { x: 0, y: 0 };
      return {
        id: e.id(),
        label: String(e.data("label") ?? ""),
        match: String(e.data("match") ?? ""),
        kind: e.data("kind"),
        errorRatio: Number(e.data("errorRatio") ?? 0),
        p99Ms: Number(e.data("p99Ms") ?? 0),
        x: box.left + point.x,
        y: box.top + point.y,
        modelX: model.x,
        modelY: model.y,
      };
    });
  }, group);
}

async function modelPositions(map: Locator): Promise<Record<string, { x: number; y: number }>> {
  return map.evaluate((element) => {
    // biome-ignore lint/suspicious/noExplicitAny: Cytoscape's registry is untyped
    const cy = (element as any)._cyreg.cy;
    const out: Record<string, { x: number; y: number }> = {};
    for (const node of cy.nodes('[kind != "group"]')) out[node.id()] = { ...node.position() };
    return out;
  });
}

async function edgeLabels(map: Locator): Promise<string[]> {
  return (await drawn(map, "edges")).map((e) => e.label);
}

async function axeScan(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

let traffic: TrafficDriver;

test.beforeAll(async () => {
  const demoUrl = process.env[DEMO_URL_ENV];
  expect(demoUrl, `${DEMO_URL_ENV} is set by globalSetup`).toBeTruthy();
  traffic = driveCheckouts(demoUrl as string);
  await expect
    .poll(() => traffic.succeeded, {
      timeout: 60_000,
      message: `demo /checkout answers (last error: ${traffic.lastError})`,
    })
    .toBeGreaterThan(0);
});

test.afterAll(async () => {
  await traffic?.stop();
});

/** Opens the map and waits until it shows real services and calls. */
async function openMap(page: Page, query = ""): Promise<Locator> {
  await page.goto(`/${query}`);
  const map = page.getByTestId("service-map");
  await expect(map).toBeVisible();
  await expect
    .poll(async () => (await idsOn(map, "data-edges")).filter((id) => !isSynthetic(id)).length, {
      timeout: 90_000,
      message: "the map shows the demo's calls",
    })
    .toBeGreaterThanOrEqual(3);
  return map;
}

test("the map groups the demo by namespace, switches labels and colours, and keeps positions across a reload", async ({
  page,
}) => {
  const map = await openMap(page);
  const nodes = await idsOn(map, "data-nodes");
  // The demo names its processes "<namespace>/<name>": each namespace gets a box.
  const boxes = nodes.filter((id) => id.startsWith("group:"));
  expect(boxes.length, `namespace boxes among ${nodes.join(", ")}`).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId("request-row").first()).toBeVisible({ timeout: 30_000 });

  // Labels: rate by default, then error % and p99, each reflected in the URL.
  await expect
    .poll(() => edgeLabels(map))
    .toEqual(expect.arrayContaining([expect.stringMatching(/req\/(s|min)$/)]));
  expect((await edgeLabels(map)).every((label) => /req\/(s|min)$/.test(label))).toBe(true);
  await page.getByTestId("map-label-mode").selectOption("errors");
  await expect(page).toHaveURL(/[?&]labels=errors/);
  await expect.poll(async () => (await edgeLabels(map)).every((l) => /^(<)?[\d.]+% err$/.test(l))).toBe(true);
  await page.getByTestId("map-label-mode").selectOption("p99");
  await expect(page).toHaveURL(/[?&]labels=p99/);
  await expect
    .poll(async () => (await edgeLabels(map)).every((l) => /^p99 [\d.]+ (ms|s|min)$/.test(l)))
    .toBe(true);
  await expect(page.getByTestId("map-legend")).toContainText("Edge labels: p99 latency");

  // Colour mode: the legend says which is active and its thresholds.
  await expect(page.getByTestId("map-legend")).toContainText("Colour: error rate");
  await page.getByTestId("map-color-mode").selectOption("latency");
  await expect(page.getByTestId("map-legend")).toContainText("Colour: p99 latency");
  await expect(page.getByTestId("map-legend")).toContainText("> 200 ms");
  await page.screenshot({ path: output("service-map.png"), fullPage: true });

  // Back restores the previous colour mode from the URL.
  await page.goBack();
  await expect(page.getByTestId("map-legend")).toContainText("Colour: error rate");

  // Collapse a namespace into one node, then expand it again.
  const toggle = page.getByTestId("map-collapse-toggle").first();
  const key = (await toggle.getAttribute("data-group")) ?? "";
  await toggle.click();
  await expect(page).toHaveURL(/[?&]collapsed=/);
  await expect.poll(() => idsOn(map, "data-nodes")).toContain(`collapsed:${key}`);
  expect((await idsOn(map, "data-nodes")).some((id) => id.startsWith(`${key}/`))).toBe(false);
  await page.screenshot({ path: output("service-map-collapsed.png") });
  await toggle.click();
  await expect.poll(() => idsOn(map, "data-nodes")).not.toContain(`collapsed:${key}`);

  // Positions survive a reload (cached per service).
  await page.waitForTimeout(800); // the cache is written half a second after the last change
  const before = await modelPositions(map);
  await page.reload();
  await expect.poll(async () => Object.keys(await modelPositions(map)).length).toBeGreaterThanOrEqual(3);
  const after = await modelPositions(map);
  const shared = Object.keys(before).filter((id) => !isSynthetic(id) && id in after);
  expect(shared.length).toBeGreaterThanOrEqual(3);
  for (const id of shared) {
    expect(Math.abs((after[id]?.x ?? Number.NaN) - (before[id]?.x ?? 0)), id).toBeLessThanOrEqual(1);
    expect(Math.abs((after[id]?.y ?? Number.NaN) - (before[id]?.y ?? 0)), id).toBeLessThanOrEqual(1);
  }

  // Re-layout places each namespace in a block of its own: no two boxes overlap.
  await page.getByRole("button", { name: "Re-layout" }).click();
  const drawnBoxes = await map.evaluate((element) => {
    // biome-ignore lint/suspicious/noExplicitAny: Cytoscape's registry is untyped
    const cy = (element as any)._cyreg.cy;
    // biome-ignore lint/suspicious/noExplicitAny: Cytoscape element
    return cy.nodes('[kind = "group"]').map((n: any) => ({ id: n.id() as string, ...n.boundingBox() }));
  });
  expect(drawnBoxes.length).toBeGreaterThanOrEqual(2);
  for (const a of drawnBoxes) {
    for (const b of drawnBoxes) {
      if (a.id >= b.id) continue;
      const apart = a.x2 <= b.x1 || b.x2 <= a.x1 || a.y2 <= b.y1 || b.y2 <= a.y1;
      expect(apart, `${a.id} and ${b.id} overlap`).toBe(true);
    }
  }
  await page.screenshot({ path: output("service-map-relayout.png") });
  await axeScan(page);
});

test("find highlights matches, bad expressions explain themselves, unhealthy-only and hide filter the map", async ({
  page,
}) => {
  const map = await openMap(page);
  const service = (await idsOn(map, "data-nodes")).find((id) => !isSynthetic(id) && id.includes("/")) ?? "";
  expect(service).not.toBe("");

  const find = page.getByTestId("map-find");
  await find.fill("p99>fast");
  await expect(page.getByTestId("map-find-error")).toContainText('"p99" takes a duration such as 200ms');
  await expect(find).toHaveAttribute("aria-invalid", "true");
  await find.fill(`name=${service}`);
  await expect(page.getByTestId("map-find-error")).toHaveCount(0);
  await find.press("Enter");
  await expect(page).toHaveURL(/[?&]find=name%3D/);
  await expect(page.getByTestId("map-meta")).toContainText(/\d+ found/);
  await expect
    .poll(async () => (await drawn(map, "nodes")).find((n) => n.id === service)?.match)
    .toBe("found");
  const others = (await drawn(map, "nodes")).filter((n) => !isSynthetic(n.id) && n.id !== service);
  expect(others.every((n) => n.match === "dimmed")).toBe(true);
  await page.screenshot({ path: output("service-map-find.png") });
  await find.fill("");
  await find.press("Enter");
  await expect(page).not.toHaveURL(/[?&]find=/);

  // Hide every external peer: none stays on the map.
  await page.getByTestId("map-hide").fill("kind=external");
  await page.getByTestId("map-hide").press("Enter");
  await expect(page).toHaveURL(/[?&]hide=kind%3Dexternal/);
  await expect
    .poll(async () => (await drawn(map, "nodes")).filter((n) => n.kind === "external").length)
    .toBe(0);

  // Unhealthy only: fewer calls, and every one left has >= 1% errors or a p99 over 200 ms.
  const total = (await drawn(map, "edges")).length;
  await page.getByTestId("map-unhealthy-only").check();
  await expect(page).toHaveURL(/[?&]unhealthy=1/);
  await expect.poll(async () => (await drawn(map, "edges")).length).toBeLessThan(total);
  const left = await drawn(map, "edges");
  expect(left.length, "the demo has a failing and a slow call").toBeGreaterThan(0);
  for (const edge of left) expect(edge.errorRatio >= 0.01 || edge.p99Ms > 200, edge.id).toBe(true);
  await page.screenshot({ path: output("service-map-unhealthy.png") });
});

test("clicking a node opens its panel with RED, endpoints, errors and links; an edge opens the calls between the pair", async ({
  page,
}) => {
  const map = await openMap(page);
  await expect.poll(async () => (await drawn(map, "nodes")).length).toBeGreaterThan(3);
  // The busiest served service: the one most edges point at.
  const edges = await drawn(map, "edges");
  const counts = new Map<string, number>();
  for (const edge of edges) {
    const target = edge.id.split("->")[1] ?? "";
    if (target.includes("/")) counts.set(target, (counts.get(target) ?? 0) + 1);
  }
  const service = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
  const node = (await drawn(map, "nodes")).find((n) => n.id === service);
  if (!node) throw new Error(`${service} is not drawn`);
  await page.mouse.click(node.x, node.y);

  const panel = page.getByTestId("map-side-panel");
  await expect(panel.getByRole("heading", { level: 2 })).toHaveText(service);
  await expect(page).toHaveURL(/[?&]node=/);
  await expect(panel.getByTestId("panel-red")).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByTestId("panel-sparkline")).toHaveCount(3);
  await expect(panel.getByTestId("panel-endpoints").locator("li").first()).toBeVisible();
  await expect(panel.getByTestId("panel-errors").or(panel.getByTestId("panel-no-errors"))).toBeVisible();
  const encoded = encodeURIComponent(service);
  await expect(panel.getByTestId("panel-link-requests")).toHaveAttribute(
    "href",
    `/requests?service=${encoded}`,
  );
  await expect(panel.getByTestId("panel-link-service")).toHaveAttribute("href", `/services/${encoded}`);
  await expect(panel.getByTestId("panel-link-flame")).toHaveAttribute("href", `/flame?service=${encoded}`);
  await page.screenshot({ path: output("service-map-node-panel.png") });
  await axeScan(page);

  // An edge between two services.
  const edge = (await drawn(map, "edges")).find((e) => e.id.split("->").every((end) => end.includes("/")));
  if (!edge) throw new Error("no service-to-service edge drawn");
  const [client, server] = edge.id.split("->") as [string, string];
  await page.getByTestId("map-panel-close").click();
  await expect(panel).toHaveCount(0);
  const fresh = (await drawn(map, "edges")).find((e) => e.id === edge.id) ?? edge;
  await page.mouse.click(fresh.x, fresh.y);
  await expect(panel.getByRole("heading", { level: 2 })).toHaveText(`${client} → ${server}`);
  await expect(panel.getByTestId("panel-red")).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByTestId("panel-link-edge-requests")).toHaveAttribute(
    "href",
    `/requests?service=${encodeURIComponent(client)}&peer=${encodeURIComponent(server)}`,
  );
  await expect(panel.getByTestId("panel-edge-requests").locator("li").first()).toBeVisible({
    timeout: 30_000,
  });
  await page.screenshot({ path: output("service-map-edge-panel.png") });
});

test("the table view lists the same services and calls, sorts by keyboard, and the edges export as CSV and JSON", async ({
  page,
}) => {
  const map = await openMap(page);
  const calls = (await idsOn(map, "data-edges")).filter((id) => !isSynthetic(id));
  await page.getByTestId("map-view-table").click();
  await expect(page).toHaveURL(/[?&]view=table/);
  const edgeRows = page.getByTestId("map-table-edges-row");
  await expect.poll(() => edgeRows.count()).toBeGreaterThanOrEqual(calls.length);

  // Sort calls by p99 from the keyboard: focus the header button, press Enter.
  const p99Header = page.getByTestId("map-table-edges").getByRole("columnheader", { name: /^p99/ });
  await p99Header.getByRole("button").focus();
  await page.keyboard.press("Enter");
  await expect(p99Header).toHaveAttribute("aria-sort", "descending");
  await page.keyboard.press("Enter");
  await expect(p99Header).toHaveAttribute("aria-sort", "ascending");
  await page.screenshot({ path: output("service-map-table.png"), fullPage: true });
  await axeScan(page);

  // A row opens the same side panel as a click on the map.
  await edgeRows.first().getByRole("button").press("Enter");
  await expect(page.getByTestId("map-side-panel")).toBeVisible();

  const [csvDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("map-export-csv").click(),
  ]);
  expect(csvDownload.suggestedFilename()).toMatch(/^periscope-map-edges-.*\.csv$/);
  const csv = await readFile((await csvDownload.path()) as string, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe(
    "source,sourceNamespace,target,targetNamespace,protocols,requestCount,errorCount,requestsPerSecond,errorRatio,p50Ms,p99Ms",
  );
  expect(lines.length - 1).toBeGreaterThanOrEqual(calls.length);

  const [jsonDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("map-export-json").click(),
  ]);
  const json = JSON.parse(await readFile((await jsonDownload.path()) as string, "utf8"));
  expect(json.edges.length).toBe(lines.length - 1);
  expect(json.edges[0]).toMatchObject({
    source: expect.any(String),
    target: expect.any(String),
    requestCount: expect.any(Number),
  });
});
