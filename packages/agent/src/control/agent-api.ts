// The agent's local HTTP API (node:http, loopback by default):
//   GET /v1/config   {version, config}
//   PUT /v1/config   a RuntimeConfig; 200 {version}, 400 {error, field} when refused
//   GET /v1/stats    drop counters, throughput figures, the record budget's sampling and
//                    metric series sent/dropped (AgentStats)
//   GET /metrics     the same in Prometheus text format
//   GET /v1/ready    200 once capturing and exporting, else 503; the body says why (readiness.ts)

import http from "node:http";
import type { AddressInfo } from "node:net";
import { type AgentStats, renderPrometheus } from "./agent-stats.js";
import type { ReadinessReport } from "./readiness.js";
import { parseRuntimeConfig, RuntimeConfigError } from "./runtime-config.js";
import type { RuntimeControls } from "./runtime-controls.js";

/** Largest PUT body accepted: a config with full filter lists is far below. */
const MAX_BODY_BYTES = 256 * 1024;

export interface AgentApiOptions {
  controls: Pick<RuntimeControls, "current" | "apply">;
  stats: () => AgentStats;
  /** GET /v1/ready; 404 without it. */
  ready?: () => ReadinessReport;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, type = "application/json"): void {
  const text = type === "application/json" ? `${JSON.stringify(body)}\n` : String(body);
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw new HttpError(400, `body is not JSON: ${(error as Error).message}`);
  }
}

async function route(
  options: AgentApiOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const path = new URL(req.url ?? "/", "http://agent").pathname;
  const allow = (methods: string[]) => {
    if (!methods.includes(req.method ?? "")) throw new HttpError(405, `${req.method} not allowed on ${path}`);
  };
  switch (path) {
    case "/v1/config":
      allow(["GET", "PUT"]);
      if (req.method === "GET") return send(res, 200, options.controls.current());
      try {
        return send(res, 200, await options.controls.apply(parseRuntimeConfig(await readJson(req))));
      } catch (error) {
        if (error instanceof RuntimeConfigError) throw new HttpError(400, error.message, error.field);
        throw error;
      }
    case "/v1/stats":
      allow(["GET"]);
      return send(res, 200, options.stats());
    case "/v1/ready": {
      allow(["GET"]);
      if (options.ready === undefined) throw new HttpError(404, `no route ${path}`);
      const report = options.ready();
      return send(res, report.ready ? 200 : 503, report);
    }
    case "/metrics":
      allow(["GET"]);
      return send(res, 200, renderPrometheus(options.stats()), "text/plain; version=0.0.4");
    default:
      throw new HttpError(404, `no route ${path}`);
  }
}

export function createAgentApi(options: AgentApiOptions): http.Server {
  return http.createServer((req, res) => {
    route(options, req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        send(res, error.status, { error: error.message, ...(error.field ? { field: error.field } : {}) });
      } else {
        // Kernel map writes fail here (e.g. a map full): say so, the config did not change.
        send(res, 500, { error: `config not applied: ${(error as Error).message}` });
      }
    });
  });
}

/** Listens on "host:port" ("[::1]:4781" for IPv6); resolves with the bound address. */
export function listenAgentApi(server: http.Server, address: string): Promise<AddressInfo> {
  const at = address.lastIndexOf(":");
  const host = address.slice(0, at).replace(/^\[(.*)\]$/, "$1");
  const port = Number(address.slice(at + 1));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
