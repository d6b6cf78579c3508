// The agent as a separate process (packages/agent/dist/main.js) exporting to
// an in-bench gRPC sink that accepts without decoding, with its CPU time
// and peak RSS read from /proc and its counters from its local API.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { INGEST_EXPORT_PATH } from "@periscope/proto";

const AGENT_MAIN = fileURLToPath(new URL("../../packages/agent/dist/main.js", import.meta.url));
const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface Sink {
  address: string;
  batches: number;
  stop(): Promise<void>;
}

/**
 * Accepts Export calls without decoding them: the bench shares two cores
 * with the traced server, and decoding 40k records/s (a collector's job,
 * elsewhere in a real deployment) would take most of one.
 */
export async function startSink(): Promise<Sink> {
  const server = new grpc.Server();
  const sink = {
    address: "",
    batches: 0,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
  const emptyResponse = Buffer.alloc(0); // every ExportResponse field at its default
  server.register<Buffer, Buffer>(
    INGEST_EXPORT_PATH,
    (_call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      sink.batches += 1;
      callback(null, emptyResponse);
    },
    (response: Buffer) => response,
    (request: Buffer) => request,
    "unary",
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    ),
  );
  sink.address = `127.0.0.1:${port}`;
  return sink;
}

/** The part of the agent's GET /v1/stats the bench reads. */
export interface AgentStatsSnapshot {
  records: { emitted: number; exported: number; dropped: number };
  exportBatches: { sent: number; dropped: number };
  drops: Record<string, number>;
}

export interface RunningAgent {
  pid: number;
  /** User + system CPU seconds so far. */
  cpuSeconds(): number;
  /** Peak resident set (VmHWM) in MiB. */
  peakRssMb(): number;
  /** GET /v1/stats on the agent's local API. */
  stats(): Promise<AgentStatsSnapshot>;
  /** PUT /v1/config on the agent's local API (a RuntimeConfig). */
  configure(config: object): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startAgent(collectorAddress: string): Promise<RunningAgent> {
  const apiAddress = `127.0.0.1:${await freePort()}`;
  const child: ChildProcess = spawn(process.execPath, [AGENT_MAIN], {
    env: {
      ...process.env,
      PERISCOPE_COLLECTOR_ADDR: collectorAddress,
      PERISCOPE_AGENT_ID: "bench",
      PERISCOPE_AGENT_API_ADDR: apiAddress,
      // As deployed (make demo, the chart): with its disk spool, which is written
      // only when the export queue backs up, so the bench shows what it costs.
      PERISCOPE_SPOOL_DIR: mkdtempSync(path.join(tmpdir(), "periscope-bench-spool-")),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`agent exited with ${code} before tracing`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("tracing")) resolve();
    });
  });
  const pid = child.pid ?? -1;
  return {
    pid,
    cpuSeconds() {
      // Fields after the parenthesised comm: utime is the 14th, stime the 15th.
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    },
    peakRssMb() {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      return Number(match?.[1] ?? 0) / 1024;
    },
    async stats() {
      const response = await fetch(`http://${apiAddress}/v1/stats`);
      return (await response.json()) as AgentStatsSnapshot;
    },
    async configure(config) {
      const response = await fetch(`http://${apiAddress}/v1/config`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(config),
      });
      if (!response.ok) throw new Error(`agent refused config: ${response.status} ${await response.text()}`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
