// The service map in a real browser (issue #11): how long Debian's Chromium
// takes to first render the map, and to apply a live update, for a cluster of
// ~200 services / ~600 edges and one of ~1,000 / ~3,000, fed through the real
// API: a collector process on the embedded engine receives the topology's edge
// series over gRPC, the UI's standalone server proxies the API, and the map
// component marks each apply of data to Cytoscape with
// performance.measure("periscope:map-apply") (useCytoscapeGraph.ts). Goals at 200 services: first
// render ≤ 1 s, an update ≤ 50 ms; at 1,000: usable (grouped, hidden markers).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client, credentials } from "@grpc/grpc-js";
import {
  create,
  ExportRequestSchema,
  encodeExportRequest,
  ingestServiceDefinition,
  type MetricSeries,
} from "@periscope/proto";
import { type CDPSession, chromium, type Page } from "@playwright/test";
import { spawnCollector } from "../lib/collector-process.js";
import { writeResults } from "../lib/results.js";
import { LARGE_CLUSTER, syntheticTopology, type TopologySize } from "../lib/synthetic-topology.js";
import { SERIES_INTERVAL_MS, topologySeries } from "../lib/topology-series.js";

/** The UI's standalone server; BENCH_UI_SERVER points at another build (to compare two). */
const UI_SERVER =
  process.env.BENCH_UI_SERVER ??
  fileURLToPath(new URL("../../packages/ui/.next/standalone/packages/ui/server.js", import.meta.url));
const UPDATES = Number(process.env.BENCH_UI_UPDATES ?? 5);
/**
 * Where to write Chromium CPU profiles (.cpuprofile, open in DevTools' Performance
 * panel) of the first load and of the updates, when set. Profiling slows the page, so
 * figures from such a run are not the bench's figures.
 */
const PROFILE_DIR = process.env.BENCH_UI_PROFILE;
/** Page loads per size for the first-render figures (median): one load is noisy on a shared VM. */
const LOADS = Math.max(1, Number(process.env.BENCH_UI_LOADS ?? 3));
/** Which sizes to run ("200", "1000"; default both): one size is enough while profiling. */
const SIZES = (process.env.BENCH_UI_SIZES ?? "200,1000").split(",");

/** ~1,000 services, ~3,000 edges, 12 namespaces. */
const HUGE_CLUSTER: TopologySize = {
  backends: 990,
  namespaces: [...LARGE_CLUSTER.namespaces, "ads", "mail", "video", "maps"],
  minFanOut: 1,
  maxFanOut: 2,
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function sendSeries(grpcAddress: string, batchSeq: bigint, metrics: MetricSeries[]): Promise<void> {
  const client = new Client(grpcAddress, credentials.createInsecure());
  const bytes = encodeExportRequest(
    create(ExportRequestSchema, { agentId: "bench-ui", batchSeq, agent: { hostname: "bench-ui" }, metrics }),
  );
  const call = ingestServiceDefinition.export;
  try {
    await new Promise<void>((resolve, reject) =>
      client.makeUnaryRequest(
        call.path,
        (b: Buffer) => b,
        call.responseDeserialize,
        bytes,
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  } finally {
    client.close();
  }
}

async function startUi(apiUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [UI_SERVER], {
    env: {
      ...process.env,
      HOSTNAME: "127.0.0.1",
      PORT: String(port),
      PERISCOPE_API_URL: apiUrl,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill("SIGKILL");
  throw new Error("the UI server did not start");
}

interface Apply {
  startMs: number;
  durationMs: number;
  /** Elements added, removed or changed by this apply (the measure's detail). */
  changed: number;
}

/** Applies that changed the map, in the page's clock (ms since navigation). */
async function applies(page: Page): Promise<Apply[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByName("periscope:map-apply")
      .map((entry) => ({
        startMs: entry.startTime,
        durationMs: entry.duration,
        changed: Number((entry as { detail?: { changed?: number } }).detail?.changed ?? 1),
      }))
      .filter((apply) => apply.changed > 0),
  );
}

/** The first apply that changed the map after `afterMs` (page clock). */
async function nextApply(page: Page, afterMs: number, timeoutMs: number): Promise<Apply> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await applies(page)).find((apply) => apply.startMs > afterMs);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`the map applied no change within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Where the time before the first apply went, on the last load, in ms from
 * navigation start: the document's arrival, its scripts' execution
 * (DOMContentLoaded), and the map's own API call through the UI server.
 */
async function beforeFirstApply(page: Page): Promise<Record<string, number>> {
  // The page's own types (DOM) are not in the bench's lib: the entries' few fields, by hand.
  type Entry = { name: string; startTime: number; responseEnd: number; initiatorType?: string };
  type Navigation = Entry & { domContentLoadedEventEnd: number };
  return page.evaluate(() => {
    const timeline = (globalThis as unknown as { performance: { getEntriesByType(type: string): unknown[] } })
      .performance;
    const navigation = timeline.getEntriesByType("navigation")[0] as Navigation | undefined;
    const resources = timeline.getEntriesByType("resource") as Entry[];
    const map = resources.find((entry) => entry.name.includes("/api/v1/map"));
    const scripts = resources.filter((entry) => entry.initiatorType === "script");
    return {
      first_document_ms: Math.round(navigation?.responseEnd ?? Number.NaN),
      first_scripts_loaded_ms: Math.round(Math.max(0, ...scripts.map((entry) => entry.responseEnd))),
      first_dom_content_loaded_ms: Math.round(navigation?.domContentLoadedEventEnd ?? Number.NaN),
      first_map_fetch_start_ms: Math.round(map?.startTime ?? Number.NaN),
      first_map_fetch_end_ms: Math.round(map?.responseEnd ?? Number.NaN),
    };
  });
}

async function startProfile(page: Page): Promise<CDPSession> {
  const session = await page.context().newCDPSession(page);
  await session.send("Profiler.enable");
  await session.send("Profiler.setSamplingInterval", { interval: 200 });
  await session.send("Profiler.start");
  return session;
}

async function saveProfile(session: CDPSession, name: string): Promise<void> {
  if (PROFILE_DIR === undefined) return;
  const { profile } = await session.send("Profiler.stop");
  mkdirSync(PROFILE_DIR, { recursive: true });
  writeFileSync(path.join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
}

async function measure(label: string, size: TopologySize): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "periscope-bench-ui-"));
  const collector = await spawnCollector(dataDir);
  let ui: { url: string; child: ChildProcess } | undefined;
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const edges = syntheticTopology(42, size);
    const now = Date.now();
    const firstInterval = Math.floor(now / SERIES_INTERVAL_MS) * SERIES_INTERVAL_MS - 6 * SERIES_INTERVAL_MS;
    let seq = 0n;
    for (let i = 0; i < 6; i++) {
      seq += 1n;
      await sendSeries(
        collector.grpcAddress,
        seq,
        topologySeries(edges, firstInterval + i * SERIES_INTERVAL_MS, i),
      );
    }
    ui = await startUi(collector.httpUrl);
    // Each load in a fresh context: no positions remembered, so the first apply places every node.
    const loads: Apply[] = [];
    for (let l = 1; l < LOADS; l++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const extra = await context.newPage();
      await extra.goto(`${ui.url}/?range=15m`);
      loads.push(await nextApply(extra, 0, 60_000));
      await context.close();
    }
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const profiler = PROFILE_DIR === undefined ? undefined : await startProfile(page);
    await page.goto(`${ui.url}/?range=15m`);
    const first = await nextApply(page, 0, 60_000);
    loads.push(first);
    const before = await beforeFirstApply(page);
    const median = (values: number[]) =>
      values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
    if (profiler) {
      await saveProfile(profiler, `${label.replace(/\W+/g, "-")}-first`);
      await profiler.send("Profiler.start");
    }
    // "N services · M calls · K hidden behind markers", as the map card says it.
    const meta = (await page.getByTestId("map-meta").textContent()) ?? "";
    const mapState = {
      nodes: Number(/(\d+) services/.exec(meta)?.[1] ?? Number.NaN),
      hidden: Number(/(\d+) hidden/.exec(meta)?.[1] ?? 0),
    };
    // Live updates: each new interval changes every edge's figures.
    const updateMs: number[] = [];
    for (let u = 1; u <= UPDATES; u++) {
      seq += 1n;
      const sentAt = await page.evaluate(() => performance.now());
      await sendSeries(
        collector.grpcAddress,
        seq,
        topologySeries(edges, firstInterval + (5 + u) * SERIES_INTERVAL_MS, 10 + u),
      );
      updateMs.push((await nextApply(page, sentAt, 60_000)).durationMs);
    }
    if (profiler) await saveProfile(profiler, `${label.replace(/\W+/g, "-")}-updates`);
    updateMs.sort((a, b) => a - b);
    // The same updates with labels readable: zoomed to 100% at the panel's centre, as a
    // user reading one corner of the map would be (the fitted map's labels are too small
    // to draw, and the map skips restyling labels it does not draw).
    await page.getByTestId("service-map").evaluate((element) => {
      // biome-ignore lint/suspicious/noExplicitAny: Cytoscape registers itself on its container, untyped
      const cy = (element as any)._cyreg.cy;
      cy.zoom({ level: 1, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    });
    await page.waitForTimeout(500);
    const zoomedMs: number[] = [];
    for (let u = 1; u <= Math.max(1, Math.floor(UPDATES / 2)); u++) {
      seq += 1n;
      const sentAt = await page.evaluate(() => performance.now());
      await sendSeries(
        collector.grpcAddress,
        seq,
        topologySeries(edges, firstInterval + (5 + UPDATES + u) * SERIES_INTERVAL_MS, 20 + u),
      );
      zoomedMs.push((await nextApply(page, sentAt, 60_000)).durationMs);
    }
    const figures = {
      services: new Set(edges.flatMap((e) => [e.client, e.server]).filter((s) => s !== "")).size,
      edges: edges.length,
      first_render_ms: Math.round(median(loads.map((load) => load.startMs + load.durationMs))),
      first_apply_ms: Math.round(median(loads.map((load) => load.durationMs))),
      first_render_max_ms: Math.round(Math.max(...loads.map((load) => load.startMs + load.durationMs))),
      page_loads: loads.length,
      update_apply_median_ms: Math.round(updateMs[Math.floor(updateMs.length / 2)] ?? Number.NaN),
      update_apply_max_ms: Math.round(updateMs.at(-1) ?? Number.NaN),
      update_zoomed_in_median_ms: Math.round(median(zoomedMs)),
      update_zoomed_in_max_ms: Math.round(Math.max(...zoomedMs)),
      services_on_map: mapState.nodes,
      hidden_behind_markers: mapState.hidden,
      ...before,
    };
    console.log(label, figures);
    return figures;
  } finally {
    await browser.close();
    ui?.child.kill("SIGTERM");
    await collector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results: Record<string, Record<string, number>> = {};
if (SIZES.includes("200")) results.map_200 = await measure("200 services", LARGE_CLUSTER);
if (SIZES.includes("1000")) results.map_1000 = await measure("1,000 services", HUGE_CLUSTER);
// A partial or profiled run prints its figures but leaves the results file alone.
if (PROFILE_DIR === undefined && SIZES.includes("200") && SIZES.includes("1000")) {
  writeResults("ui", { ...results, updates_per_size: UPDATES });
} else {
  console.log(JSON.stringify(results, null, 2));
}
