// Collector figures on the embedded engine: records/s ingested over real gRPC
// (batches as agents send them), then query latency of the map and the request
// search over what was stored.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client, credentials } from "@grpc/grpc-js";
import { startCollector } from "@periscope/collector";
import {
  create,
  type ExportRequest,
  ExportRequestSchema,
  ingestServiceDefinition,
  type RequestRecord,
  RequestRecordSchema,
  Side,
} from "@periscope/proto";
import { writeResults } from "../lib/results.js";

const BATCHES = Number(process.env.BENCH_BATCHES ?? 300);
const RECORDS_PER_BATCH = 1_000;
const IN_FLIGHT = 4;
const SERVICES = ["frontend", "users", "orders", "payments", "search", "catalog", "cart", "auth"];

function syntheticRecord(i: number, startMs: number): RequestRecord {
  const client = SERVICES[i % SERVICES.length] ?? "frontend";
  const server = SERVICES[(i * 7 + 3) % SERVICES.length] ?? "users";
  const status = i % 50 === 0 ? 503 : 200;
  return create(RequestRecordSchema, {
    protocol: "http",
    side: i % 2 === 0 ? Side.CLIENT : Side.SERVER,
    startTimeUnixNano: BigInt(startMs + (i % 600_000)) * 1_000_000n,
    durationNano: BigInt(200_000 + ((i * 7919) % 5_000_000)),
    client: { ip: "10.0.0.1", port: 40_000 + (i % 20_000), service: client, pid: 100, processName: client },
    server: { ip: "10.0.0.2", port: 8080, service: server, pid: 200, processName: server },
    operation: i % 3 === 0 ? "POST" : "GET",
    target: `/api/${server}/${i % 500}`,
    status,
    error: status >= 500,
    requestBytes: 120n,
    responseBytes: 900n,
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "periscope-bench-"));
  const collector = await startCollector({
    httpPort: 0,
    grpcAddress: "127.0.0.1:0",
    dataDir,
    storageUrl: "",
  });
  const client = new Client(collector.grpcAddress, credentials.createInsecure());
  const call = ingestServiceDefinition.export;
  const send = (request: ExportRequest) =>
    new Promise<void>((resolve, reject) =>
      client.makeUnaryRequest(call.path, call.requestSerialize, call.responseDeserialize, request, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  const startMs = Date.now() - 10 * 60_000;
  const batch = (seq: number) =>
    create(ExportRequestSchema, {
      agentId: "bench-agent",
      batchSeq: BigInt(seq + 1),
      requests: Array.from({ length: RECORDS_PER_BATCH }, (_, i) =>
        syntheticRecord(seq * RECORDS_PER_BATCH + i, startMs),
      ),
    });

  try {
    const batches = Array.from({ length: BATCHES }, (_, seq) => batch(seq));
    let next = 0;
    const began = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < batches.length) {
          const request = batches[next++];
          if (request) await send(request);
        }
      }),
    );
    const ingestSeconds = Number(process.hrtime.bigint() - began) / 1e9;
    const rows = BATCHES * RECORDS_PER_BATCH;

    const range = `from=${startMs - 60_000}&to=${Date.now() + 60_000}`;
    const timeQuery = async (pathAndQuery: string) => {
      await fetch(`${collector.httpUrl}${pathAndQuery}`); // warm caches, as a live UI would
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const response = await fetch(`${collector.httpUrl}${pathAndQuery}`);
        if (!response.ok) throw new Error(`${pathAndQuery}: HTTP ${response.status}`);
        await response.json();
        samples.push(performance.now() - t0);
      }
      return Math.round(samples.sort((a, b) => a - b)[2] ?? 0); // median of five
    };
    writeResults("collector", {
      rows,
      ingest_records_per_s: Math.round(rows / ingestSeconds),
      map_query_ms: await timeQuery(`/api/v1/map?${range}`),
      services_query_ms: await timeQuery(`/api/v1/services?${range}`),
      search_query_ms: await timeQuery(`/api/v1/requests?${range}&service=orders&limit=100`),
    });
  } finally {
    client.close();
    await collector.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
