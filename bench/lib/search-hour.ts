// Request search at 1 billion rows a day (issue #15, item 5): one hour of
// `requests` at that rate (~41.7M rows) loaded straight through the storage
// layer at engine speed (INSERT … SELECT, synthetic-requests.ts, over the
// 200-service LARGE_CLUSTER), then a search filtered by service, status and
// minimum duration over that hour through a collector's HTTP API — the query
// the history view runs, newest first, one observation per call.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { applyMigrations, loadMigrations, openStorage } from "@periscope/collector";
import { spawnCollector } from "./collector-process.js";
import { loadSyntheticRequests } from "./synthetic-requests.js";
import { LARGE_CLUSTER, type SyntheticEdge, syntheticTopology } from "./synthetic-topology.js";

const HOUR_MS = 3_600_000;

export interface SearchHourFigures {
  search_hour_rows: number;
  search_hour_load_s: number;
  search_hour_load_rows_per_s: number;
  search_hour_disk_mib: number;
  search_hour_bytes_per_row: number;
  search_hour_parts: number;
  /** service + status + minDurationMs over the hour, median of 5 after a warm-up. */
  search_service_status_duration_1h_ms: number;
  search_service_status_duration_1h_matches: number;
  /** The same search as the collector's first query after start: skip indexes and marks not yet cached. */
  search_service_status_duration_1h_first_ms: number;
  /** The same with observations=all (no one-observation rule). */
  search_service_status_duration_1h_all_ms: number;
  /** service alone: the newest page of one service's calls. */
  search_service_1h_ms: number;
}

/**
 * The filter a user chasing slow failures would type: a service that serves
 * HTTP and fails often enough, its 503s, slower than the minimum given.
 */
function searchedService(edges: readonly SyntheticEdge[]): string {
  const candidates = edges
    .filter((edge) => edge.protocol === "http" && edge.server !== "" && edge.errorPerMille >= 50)
    .sort((a, b) => b.weight - a.weight);
  const found = candidates[0]?.server;
  if (found === undefined) throw new Error("the topology has no failing HTTP service to search");
  return found;
}

async function medianMs(
  baseUrl: string,
  pathAndQuery: string,
): Promise<{ ms: number; rows: number; firstMs: number }> {
  let rows = 0;
  const once = async () => {
    const t0 = performance.now();
    const response = await fetch(`${baseUrl}${pathAndQuery}`);
    if (!response.ok) throw new Error(`${pathAndQuery}: HTTP ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { requests: unknown[] };
    rows = body.requests.length;
    return performance.now() - t0;
  };
  const firstMs = Math.round(await once());
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) samples.push(await once());
  return { ms: Math.round(samples.sort((a, b) => a - b)[2] ?? 0), rows, firstMs };
}

export async function measureSearchHour(rows: number, minDurationMs: number): Promise<SearchHourFigures> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "periscope-bench-search-"));
  const endMs = Date.now() - 60_000;
  const edges = syntheticTopology(42, LARGE_CLUSTER);
  try {
    const storage = openStorage({ kind: "embedded", dataDir });
    await applyMigrations(storage, await loadMigrations({ retentionDays: 7 }));
    const began = performance.now();
    await loadSyntheticRequests(storage, {
      rows,
      endMs,
      windowMs: HOUR_MS,
      chunkRows: 2_000_000,
      edges,
      onChunk: (loaded) => process.stdout.write(`\rsearch hour: loaded ${loaded.toLocaleString("en")} rows`),
    });
    const loadSeconds = (performance.now() - began) / 1000;
    process.stdout.write("\n");
    const [disk] = await storage.select<{ bytes: string; parts: string }>(
      "SELECT toString(sum(bytes_on_disk)) AS bytes, toString(count()) AS parts FROM system.parts WHERE database = currentDatabase() AND table = 'requests' AND active",
    );
    await storage.close();
    const bytes = Number(disk?.bytes ?? 0);
    const service = searchedService(edges);
    console.log(
      `search hour: ${rows.toLocaleString("en")} rows in ${loadSeconds.toFixed(1)} s, ${(bytes / 2 ** 20).toFixed(0)} MiB in ${disk?.parts} parts; searching service=${service}`,
    );
    const collector = await spawnCollector(dataDir);
    try {
      const range = `from=${endMs - HOUR_MS}&to=${endMs}`;
      const filtered = `service=${encodeURIComponent(service)}&status=503&minDurationMs=${minDurationMs}&limit=100&${range}`;
      const one = await medianMs(collector.httpUrl, `/api/v1/requests?${filtered}`);
      const all = await medianMs(collector.httpUrl, `/api/v1/requests?${filtered}&observations=all`);
      const plain = await medianMs(
        collector.httpUrl,
        `/api/v1/requests?service=${encodeURIComponent(service)}&limit=100&${range}`,
      );
      return {
        search_hour_rows: rows,
        search_hour_load_s: Math.round(loadSeconds * 10) / 10,
        search_hour_load_rows_per_s: Math.round(rows / loadSeconds),
        search_hour_disk_mib: Math.round(bytes / 2 ** 20),
        search_hour_bytes_per_row: Math.round((bytes / rows) * 10) / 10,
        search_hour_parts: Number(disk?.parts ?? 0),
        search_service_status_duration_1h_ms: one.ms,
        search_service_status_duration_1h_matches: one.rows,
        search_service_status_duration_1h_first_ms: one.firstMs,
        search_service_status_duration_1h_all_ms: all.ms,
        search_service_1h_ms: plain.ms,
      };
    } finally {
      await collector.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
