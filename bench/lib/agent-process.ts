// The agent as a separate process (packages/agent/dist/main.js) exporting to
// an in-bench gRPC sink that only counts, with its CPU time and peak RSS
// read from /proc.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import {
  create,
  type ExportRequest,
  type ExportResponse,
  ExportResponseSchema,
  ingestServiceDefinition,
} from "@periscope/proto";

const AGENT_MAIN = fileURLToPath(new URL("../../packages/agent/dist/main.js", import.meta.url));
const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface CountingSink {
  address: string;
  records: number;
  stop(): Promise<void>;
}

export async function startCountingSink(): Promise<CountingSink> {
  const server = new grpc.Server();
  const sink = {
    address: "",
    records: 0,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
  server.addService(ingestServiceDefinition, {
    export: (
      call: grpc.ServerUnaryCall<ExportRequest, ExportResponse>,
      callback: grpc.sendUnaryData<ExportResponse>,
    ) => {
      sink.records += call.request.requests.length;
      callback(null, create(ExportResponseSchema, { accepted: call.request.requests.length }));
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    ),
  );
  sink.address = `127.0.0.1:${port}`;
  return sink;
}

export interface RunningAgent {
  pid: number;
  /** User + system CPU seconds so far. */
  cpuSeconds(): number;
  /** Peak resident set (VmHWM) in MiB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

export async function startAgent(collectorAddress: string): Promise<RunningAgent> {
  const child: ChildProcess = spawn(process.execPath, [AGENT_MAIN], {
    env: { ...process.env, PERISCOPE_COLLECTOR_ADDR: collectorAddress, PERISCOPE_AGENT_ID: "bench" },
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
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
