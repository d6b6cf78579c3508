// Collector figures on the embedded engine (make bench-collector):
//  1. bulk-load BENCH_ROWS (default 10M) synthetic requests spread over the
//     last 24 h (bench/lib/synthetic-requests.ts; INSERT … SELECT), then fold
//     them into the 5 s metric series agents would have sent for them
//     (bench/lib/synthetic-series.ts), which the map, RED and endpoints read;
//     then what they take on disk (storage_bytes_per_request…, system.parts);
//  2. gRPC ingest into a collector on its own fresh data directory:
//     BENCH_INGEST_RECORDS records in 1000-record batches, each with the
//     metric series of its records (what an agent sends), from BENCH_AGENTS
//     concurrent agents, each with up to BENCH_AGENT_IN_FLIGHT calls
//     outstanding (the exporter's maxInFlightBatches default), timed until
//     every batch is acknowledged stored. Batches are encoded before timing,
//     so the figure is the collector's (decode, map, queue, insert), not this
//     client's. A fresh directory, so the steady ingest rate is measured, not
//     that of a collector just opened on the bulk load (47 µs of CPU per record
//     there against 35–39 µs fresh; src/storage/README.md, The event loop);
//     then what those records take on disk (storage_ingest_bytes_per_request…);
//  3. query latency over the bulk-loaded rows plus the same ingest records
//     sent again, untimed (the newest rows, as in a live collector: newest-first
//     search stops early in them): map, RED and request search, each
//     the median of 5 after one warm-up, over the whole 24 h (all rows in
//     range: the worst case) and over the last hour;
//  4. request search at 1 billion rows a day (bench/lib/search-hour.ts):
//     BENCH_SEARCH_HOUR_ROWS (default 41,666,667, an hour at that rate; 0
//     skips it) loaded into one hour of a fresh data directory, then a search
//     by service, status and BENCH_SEARCH_MIN_DURATION_MS over that hour.
//     BENCH_COLLECTOR_ONLY=search-hour runs this phase alone and merges its
//     figures into bench/results/collector.json.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client, credentials } from "@grpc/grpc-js";
import { applyMigrations, loadMigrations, openStorage } from "@periscope/collector";
import {
  create,
  ExportRequestSchema,
  ingestServiceDefinition,
  type RequestRecord,
  RequestRecordSchema,
  Side,
  toBinary,
} from "@periscope/proto";
import { cpuSeconds, spawnCollector } from "../lib/collector-process.js";
import { mergeResults, writeResults } from "../lib/results.js";
import { measureSearchHour } from "../lib/search-hour.js";
import { footprintFigures, measureStorageFootprint } from "../lib/storage-footprint.js";
import { loadSyntheticRequests } from "../lib/synthetic-requests.js";
import { foldIntoSeries, loadSyntheticSeries } from "../lib/synthetic-series.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const INGEST_RECORDS = Number(process.env.BENCH_INGEST_RECORDS ?? 500_000);
// 64 stands for a 64-node cluster; each agent keeps as many Export calls
// outstanding as packages/agent/src/export/exporter.ts does by default.
const AGENTS = Number(process.env.BENCH_AGENTS ?? 64);
const AGENT_IN_FLIGHT = Number(process.env.BENCH_AGENT_IN_FLIGHT ?? 4);
const RECORDS_PER_BATCH = 1_000;
const SEARCH_HOUR_ROWS = Number(process.env.BENCH_SEARCH_HOUR_ROWS ?? Math.round(1e9 / 24));
const SEARCH_MIN_DURATION_MS = Number(process.env.BENCH_SEARCH_MIN_DURATION_MS ?? 50);
const DAY_MS = 24 * 3600_000;
const SERVICES = ["frontend", "users", "orders", "payments", "search", "catalog", "cart", "auth"];

function ingestRecord(i: number, startMs: number): RequestRecord {
  const client = SERVICES[i % SERVICES.length] ?? "frontend";
  const server = SERVICES[(i * 7 + 3) % SERVICES.length] ?? "users";
  const status = i % 50 === 0 ? 503 : 200;
  return create(RequestRecordSchema, {
    protocol: "http",
    side: i % 2 === 0 ? Side.CLIENT : Side.SERVER,
    startTimeUnixNano: BigInt(startMs + (i % 60_000)) * 1_000_000n,
    durationNano: BigInt(200_000 + ((i * 7919) % 5_000_000)),
    client: { ip: "10.0.0.1", port: 40_000 + (i % 20_000), service: client, pid: 100, processName: client },
    server: { ip: "10.0.0.2", port: 8080, service: server, pid: 200, processName: server },
    operation: i % 3 === 0 ? "POST" : "GET",
    target: `/api/${server}/${i % 500}`,
    status,
    error: status >= 500,
    requestBytes: 120n,
    responseBytes: 900n,
    attributes: { "http.host": server, "http.user_agent": "bench/1.0" },
    traceId:
      i % 4 === 0
        ? `${(i * 2654435761).toString(16).padStart(16, "0")}${i.toString(16).padStart(16, "0")}`
        : "",
  });
}

async function bulkLoad(
  dataDir: string,
  endMs: number,
): Promise<{ rowsPerSecond: number; seriesFoldSeconds: number }> {
  const storage = openStorage({ kind: "embedded", dataDir });
  await applyMigrations(storage, await loadMigrations({ retentionDays: 7 }));
  const began = performance.now();
  await loadSyntheticRequests(storage, {
    rows: ROWS,
    endMs,
    windowMs: DAY_MS,
    onChunk: (loaded) => process.stdout.write(`\rloaded ${loaded.toLocaleString("en")} rows`),
  });
  const seconds = (performance.now() - began) / 1000;
  process.stdout.write("\n");
  const folding = performance.now();
  await loadSyntheticSeries(storage, endMs - DAY_MS, endMs + 1);
  const seriesFoldSeconds = Math.round((performance.now() - folding) / 100) / 10;
  console.log(`folded the requests into metric series in ${seriesFoldSeconds} s`);
  await storage.close();
  return { rowsPerSecond: Math.round(ROWS / seconds), seriesFoldSeconds };
}

interface IngestFigures {
  recordsPerSecond: number;
  /** Metric series (one point each: an edge or endpoint over 5 s) stored per second. */
  metricPointsPerSecond: number;
  seriesPerBatch: number;
}

async function ingest(grpcAddress: string, startMs: number): Promise<IngestFigures> {
  // Pre-encoded: the client only frames bytes, as many remote agents would.
  let seriesSent = 0;
  const batches = Array.from({ length: Math.ceil(INGEST_RECORDS / RECORDS_PER_BATCH) }, (_, seq) => {
    const requests = Array.from({ length: RECORDS_PER_BATCH }, (_, i) =>
      ingestRecord(seq * RECORDS_PER_BATCH + i, startMs),
    );
    const metrics = foldIntoSeries(requests);
    seriesSent += metrics.length;
    return Buffer.from(
      toBinary(
        ExportRequestSchema,
        create(ExportRequestSchema, {
          agentId: `bench-agent-${seq % AGENTS}`,
          batchSeq: BigInt(Math.floor(seq / AGENTS) + 1),
          agent: { hostname: `bench-${seq % AGENTS}`, version: "bench" },
          requests,
          metrics,
        }),
      ),
    );
  });
  const call = ingestServiceDefinition.export;
  const clients = Array.from({ length: AGENTS }, () => new Client(grpcAddress, credentials.createInsecure()));
  const send = (client: Client, bytes: Buffer) =>
    new Promise<void>((resolve, reject) =>
      client.makeUnaryRequest(
        call.path,
        (b: Buffer) => b,
        call.responseDeserialize,
        bytes,
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  let refused = 0;
  const began = performance.now();
  // Each agent sends its own batches in order, AGENT_IN_FLIGHT at a time,
  // retrying a refusal as an agent would.
  const sendAll = async (client: Client, agent: number, lane: number) => {
    for (let seq = agent + lane * AGENTS; seq < batches.length; seq += AGENTS * AGENT_IN_FLIGHT) {
      const bytes = batches[seq] as Buffer;
      for (;;) {
        try {
          await send(client, bytes);
          break;
        } catch (error) {
          if ((error as { code?: number }).code !== 8) throw error; // RESOURCE_EXHAUSTED
          refused += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }
  };
  await Promise.all(
    clients.flatMap((client, agent) =>
      Array.from({ length: AGENT_IN_FLIGHT }, (_, lane) => sendAll(client, agent, lane)),
    ),
  );
  const seconds = (performance.now() - began) / 1000;
  for (const client of clients) client.close();
  if (refused > 0) console.log(`ingest: ${refused} batches refused (queue full) and retried`);
  return {
    recordsPerSecond: Math.round((batches.length * RECORDS_PER_BATCH) / seconds),
    metricPointsPerSecond: Math.round(seriesSent / seconds),
    seriesPerBatch: Math.round(seriesSent / batches.length),
  };
}

/**
 * CPU seconds (user + system, all threads: the engine runs inside it) the
 * collector process has used, from /proc (Linux); undefined elsewhere. Unlike
 * records/s it barely moves when other work shares the machine.
 */

async function medianMs(baseUrl: string, pathAndQuery: string): Promise<number> {
  const once = async () => {
    const t0 = performance.now();
    const response = await fetch(`${baseUrl}${pathAndQuery}`);
    if (!response.ok) throw new Error(`${pathAndQuery}: HTTP ${response.status} ${await response.text()}`);
    await response.json();
    return performance.now() - t0;
  };
  await once(); // warm caches, as a live UI would
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) samples.push(await once());
  return Math.round(samples.sort((a, b) => a - b)[2] ?? 0);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "periscope-bench-"));
  const ingestDataDir = mkdtempSync(path.join(tmpdir(), "periscope-bench-ingest-"));
  const endMs = Date.now() - 60_000;
  try {
    const bulk = await bulkLoad(dataDir, endMs);
    // On-disk bytes per stored request (system.parts) of the bulk load: hashed
    // trace/span ids, ns times over 24 h, random ports, sizes and durations, 5,000
    // targets per route, with its metric roll-ups; the figure volumes and
    // retention are sized by (bench/lib/storage-footprint.ts). As written: a
    // merge here would speed up the queries timed below.
    const storageFootprint = footprintFigures(measureStorageFootprint(dataDir, false), ROWS, "storage");
    const ingestCollector = await spawnCollector(ingestDataDir);
    let ingested: IngestFigures;
    let ingestCpuUsPerRecord: number | undefined;
    try {
      const cpuBefore = cpuSeconds(ingestCollector.child.pid);
      ingested = await ingest(ingestCollector.grpcAddress, Date.now() - 60_000);
      const cpuAfter = cpuSeconds(ingestCollector.child.pid);
      ingestCpuUsPerRecord =
        cpuBefore === undefined || cpuAfter === undefined
          ? undefined
          : Math.round(((cpuAfter - cpuBefore) * 1e6) / INGEST_RECORDS);
    } finally {
      await ingestCollector.stop();
    }
    // The same records on disk, as written and merged: these records repeat
    // (8 services, 500 targets, ms times in one minute) and compress far
    // better than traffic does; the bulk load's figure is the sizing one.
    const ingestFootprint = footprintFigures(
      measureStorageFootprint(ingestDataDir, true),
      INGEST_RECORDS,
      "storage_ingest",
    );
    const collector = await spawnCollector(dataDir);
    try {
      await ingest(collector.grpcAddress, Date.now() - 60_000);
      const now = Date.now();
      const day = `from=${now - DAY_MS}&to=${now}`;
      const hour = `from=${now - 3600_000}&to=${now}`;
      const url = collector.httpUrl;
      const figures = {
        rows: ROWS + INGEST_RECORDS,
        bulk_load_rows_per_s: bulk.rowsPerSecond,
        bulk_series_fold_s: bulk.seriesFoldSeconds,
        ingest_records_per_s: ingested.recordsPerSecond,
        // Series of 5 s per edge or endpoint, status class and side, sent with the records.
        ingest_metric_points_per_s: ingested.metricPointsPerSecond,
        ingest_series_per_batch: ingested.seriesPerBatch,
        // Collector CPU per record (decode, queue, insert, views): the machine-load-independent cost.
        ...(ingestCpuUsPerRecord === undefined ? {} : { ingest_cpu_us_per_record: ingestCpuUsPerRecord }),
        ...storageFootprint,
        ...ingestFootprint,
        map_query_ms: await medianMs(url, `/api/v1/map?${day}`),
        red_query_ms: await medianMs(url, `/api/v1/red?service=orders&${day}`),
        search_query_ms: await medianMs(url, `/api/v1/requests?service=orders&limit=100&${day}`),
        map_query_1h_ms: await medianMs(url, `/api/v1/map?${hour}`),
        red_edge_query_ms: await medianMs(url, `/api/v1/red?client=gateway&server=orders&${day}`),
        endpoints_query_ms: await medianMs(url, `/api/v1/endpoints?service=orders&${day}`),
        search_query_1h_ms: await medianMs(url, `/api/v1/requests?service=orders&limit=100&${hour}`),
        search_error_query_ms: await medianMs(url, `/api/v1/requests?error=true&limit=100&${day}`),
      };
      const searchHour =
        SEARCH_HOUR_ROWS > 0 ? await measureSearchHour(SEARCH_HOUR_ROWS, SEARCH_MIN_DURATION_MS) : {};
      writeResults("collector", {
        ...figures,
        ...searchHour,
        agents: AGENTS,
        agent_in_flight: AGENT_IN_FLIGHT,
      });
    } finally {
      await collector.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(ingestDataDir, { recursive: true, force: true });
  }
}

if (process.env.BENCH_COLLECTOR_ONLY === "search-hour") {
  mergeResults("collector", { ...(await measureSearchHour(SEARCH_HOUR_ROWS, SEARCH_MIN_DURATION_MS)) });
} else {
  await main();
}
