// Starts the agent's run-time controls: applies the start-up config to the
// kernel maps and serves the local HTTP API (agent-api.ts). The API failing
// to listen (address in use) leaves tracing running and says why.

import type { Server } from "node:http";
import type { SocketTracer } from "../capture/socket-tracer.js";
import { createAgentApi, listenAgentApi } from "./agent-api.js";
import type { AgentStats } from "./agent-stats.js";
import type { ReadinessReport } from "./readiness.js";
import { parseRuntimeConfig } from "./runtime-config.js";
import { RuntimeControls } from "./runtime-controls.js";

export interface ControlPlaneOptions {
  tracer: SocketTracer;
  apiAddress: string;
  /** PERISCOPE_CAPTURE_BYTES: the start-up default cap. */
  captureBytes: number;
  /** PERISCOPE_RECORD_BUDGET and PERISCOPE_CAPTURE_SELF: the start-up values. */
  recordBudgetPerSecond?: number;
  captureSelf?: boolean;
  stats: (configVersion: number) => AgentStats;
  /** GET /v1/ready's answer. */
  ready?: () => ReadinessReport;
  log?: (line: string) => void;
}

export interface ControlPlane {
  controls: RuntimeControls;
  close(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const log = options.log ?? ((line: string) => console.error(line));
  const controls = new RuntimeControls(options.tracer);
  await controls.apply(
    parseRuntimeConfig({
      captureBytes: { default: options.captureBytes },
      recordBudgetPerSecond: options.recordBudgetPerSecond,
      captureSelf: options.captureSelf,
    }),
  );
  const server = createAgentApi({
    controls,
    stats: () => options.stats(controls.current().version),
    ...(options.ready === undefined ? {} : { ready: options.ready }),
  });
  let listening: Server | undefined;
  try {
    const address = await listenAgentApi(server, options.apiAddress);
    listening = server;
    log(
      `periscope-agent: local API on ${address.address}:${address.port} (GET/PUT /v1/config, /v1/stats, /v1/ready, /metrics)`,
    );
  } catch (error) {
    log(`periscope-agent: local API disabled: listen ${options.apiAddress}: ${(error as Error).message}`);
  }
  return {
    controls,
    close: () =>
      new Promise<void>((resolve) => {
        if (!listening) return resolve();
        listening.closeAllConnections();
        listening.close(() => resolve());
      }),
  };
}
