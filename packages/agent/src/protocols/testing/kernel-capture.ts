// Test support for the per-protocol kernel tests: the real SocketTracer feeding
// a Pipeline restricted to the protocols under test, and real clients run as
// child processes (the tracer leaves its own process out, so the traffic to be
// seen must come from another one).
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SocketTracer } from "../../capture/socket-tracer.js";
import { ListeningSockets } from "../../metadata/listening-sockets.js";
import { LocalAddresses } from "../../metadata/local-addresses.js";
import { ProcessNames } from "../../metadata/process-names.js";
import { lookupSocketEndpoints } from "../../metadata/socket-endpoints.js";
import { Pipeline, type PipelineOptions } from "../../pipeline.js";
import type { RequestRecord } from "../../records/request-record.js";
import type { ProtocolDefinition } from "../protocol-definition.js";

/** packages/agent: where the client libraries (pg, amqplib, …) resolve from. */
const packageRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface KernelCapture {
  readonly tracer: SocketTracer;
  readonly pipeline: Pipeline;
  /** Every record so far, both sides, every process. */
  readonly records: RequestRecord[];
  /** The records a client process made, seen from its own end. */
  clientRecordsOf(pid: number): RequestRecord[];
  close(): void;
}

/** Opens the real tracer and a pipeline that parses only `protocols` (every registered one when undefined). */
export function startKernelCapture(
  protocols: readonly ProtocolDefinition[] | undefined,
  options: Partial<PipelineOptions> = {},
): KernelCapture {
  const records: RequestRecord[] = [];
  const pipeline = new Pipeline({
    tracker: {
      maxConnections: 4096,
      maxStreamBytes: 64 * 1024,
      idleTimeoutNs: 60_000_000_000n,
      lookupEndpoints: lookupSocketEndpoints,
    },
    processNames: new ProcessNames(),
    listeners: new ListeningSockets({ minRefreshIntervalMs: 1000, maxListeners: 4096 }),
    localAddresses: new LocalAddresses(),
    ...(protocols === undefined ? {} : { protocols }),
    onRecord: (record) => records.push(record),
    ...options,
  });
  const tracer = SocketTracer.open({ captureBytes: 4096 }, (events) => pipeline.handleBatch(events));
  return {
    tracer,
    pipeline,
    records,
    clientRecordsOf: (pid) =>
      records.filter((record) => record.side === "client" && record.client.pid === pid),
    close: () => tracer.close(),
  };
}

/** A node script started with `node -e` from the agent package (so `require` finds its dev dependencies). */
export function startNodeScript(script: string, args: readonly string[] = []): ChildProcess {
  return spawn(process.execPath, ["-e", script, ...args], { cwd: packageRoot });
}

/**
 * Runs a client script to its end. A client that fails throws with its stderr,
 * so a broken client reads as such rather than as records that never came.
 */
export async function runNodeScript(script: string, args: readonly string[] = []): Promise<{ pid: number }> {
  const child = startNodeScript(script, args);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`client script exited with ${code}: ${stderr}`);
  return { pid: child.pid ?? 0 };
}

/** The first line a long-running script prints (a server announcing its port). */
export function firstLineOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const end = text.indexOf("\n");
      if (end >= 0) resolve(text.slice(0, end));
    });
    child.once("exit", (code) => reject(new Error(`script exited with ${code} before printing a line`)));
  });
}
