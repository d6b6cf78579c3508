// What every demo process does at start: take its name (the process title the
// agent names it by), find its peers' ports, and close its servers and clients
// on SIGINT/SIGTERM so the stack stops within its grace period.
import {
  addressOf,
  DEFAULT_DEMO_BASE_PORT,
  DEMO_PORT_COUNT,
  type DemoServiceName,
  serviceNamed,
  titleOf,
} from "../topology.js";
import type { TraceContext } from "./trace-context.js";

export interface ServiceRuntime {
  /** "<namespace>/<name>", also the process title. */
  title: string;
  /** Port this service listens on. */
  port: number;
  /** "127.0.0.1:port" of another demo service. */
  peer(name: DemoServiceName): string;
  /** Registers cleanup for shutdown; run in reverse order of registration. */
  onStop(close: () => void | Promise<void>): void;
  /** With DEMO_TRACE_LOG=1, one line per served call naming the trace context it arrived with. */
  logTrace(via: "http-header" | "grpc-metadata", operation: string, context: TraceContext | undefined): void;
}

export function startService(name: DemoServiceName): ServiceRuntime {
  const service = serviceNamed(name);
  const title = titleOf(service);
  process.title = title;
  const basePort = basePortFromEnv();
  const closers: Array<() => void | Promise<void>> = [];
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const close of closers.reverse()) {
      await Promise.resolve(close()).catch((error: unknown) => console.error(`${title}: ${String(error)}`));
    }
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop());
  const traceLog = process.env.DEMO_TRACE_LOG === "1";
  return {
    title,
    port: service.portOffset === undefined ? 0 : basePort + service.portOffset,
    peer: (peerName) => addressOf(peerName, basePort),
    onStop: (close) => closers.push(close),
    logTrace(via, operation, context) {
      if (!traceLog) return;
      const seen = {
        service: title,
        via,
        operation,
        traceId: context?.traceId ?? "",
        spanId: context?.spanId ?? "",
      };
      console.log(`trace-seen ${JSON.stringify(seen)}`);
    },
  };
}

function basePortFromEnv(): number {
  const raw = process.env.DEMO_BASE_PORT ?? String(DEFAULT_DEMO_BASE_PORT);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value + DEMO_PORT_COUNT - 1 > 65535) {
    console.error(`DEMO_BASE_PORT must leave ${DEMO_PORT_COUNT} TCP ports below 65536, got ${raw}`);
    process.exit(2);
  }
  return value;
}
