import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  firstLineOf,
  type KernelCapture,
  runNodeScript,
  startKernelCapture,
  startNodeScript,
} from "./protocols/testing/kernel-capture.js";

// The whole user-space path behind the real eBPF tracer: real node processes on
// loopback, named with process.title as the demo names its services.

const SERVER_SCRIPT = `
process.title = "pscope-catalog";
require("node:http").createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    if (req.url.startsWith("/big")) { res.setHeader("content-length", 100000); res.end("x".repeat(100000)); return; }
    res.statusCode = req.url.startsWith("/broken") ? 503 : 200;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ path: req.url }));
  });
}).listen(0, "127.0.0.1", function () { console.log(this.address().port); });
`;

const CLIENT_SCRIPT = `
process.title = "pscope-front";
const http = require("node:http");
const agent = new http.Agent({ keepAlive: true });
const port = Number(process.argv[1]);
const get = (path) => new Promise((resolve, reject) => {
  http.get({ host: "127.0.0.1", port, path, agent, headers: {
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } }, (res) => {
    res.resume();
    res.on("end", resolve);
  }).on("error", reject);
});
(async () => {
  for (const path of ["/items/1", "/broken", "/big"]) await get(path);
  agent.destroy();
})();
`;

let server: ChildProcess;
let serverPort: number;
let capture: KernelCapture;

beforeAll(async () => {
  capture = startKernelCapture(undefined);
  server = startNodeScript(SERVER_SCRIPT);
  serverPort = Number(await firstLineOf(server));
});

afterAll(() => {
  capture?.close();
  server?.kill();
});

describe("Pipeline behind the real socket tracer", () => {
  it("records each request from both ends, with services, status, sizes and trace context", async () => {
    await runNodeScript(CLIENT_SCRIPT, [String(serverPort)]);
    const ours = () => capture.records.filter((record) => record.server.port === serverPort);
    await expect.poll(() => ours().length, { timeout: 10_000 }).toBe(6);
    const seen = ours()
      .map((record) => ({
        side: record.side,
        target: record.target,
        status: record.status,
        error: record.error,
        client: record.client.service,
        server: record.server.service,
        responseBytes: record.responseBytes > 100_000,
        truncated: record.truncated,
        traceId: record.traceId,
        spanId: record.spanId,
      }))
      .sort((a, b) => `${a.target}${a.side}`.localeCompare(`${b.target}${b.side}`));
    const trace = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331" };
    const ends = { client: "pscope-front", server: "pscope-catalog" };
    expect(seen).toEqual([
      {
        side: "client",
        target: "/big",
        status: 200,
        error: false,
        ...ends,
        responseBytes: true,
        truncated: true,
        ...trace,
      },
      {
        side: "server",
        target: "/big",
        status: 200,
        error: false,
        ...ends,
        responseBytes: true,
        truncated: true,
        ...trace,
      },
      {
        side: "client",
        target: "/broken",
        status: 503,
        error: true,
        ...ends,
        responseBytes: false,
        truncated: false,
        ...trace,
      },
      {
        side: "server",
        target: "/broken",
        status: 503,
        error: true,
        ...ends,
        responseBytes: false,
        truncated: false,
        ...trace,
      },
      {
        side: "client",
        target: "/items/1",
        status: 200,
        error: false,
        ...ends,
        responseBytes: false,
        truncated: false,
        ...trace,
      },
      {
        side: "server",
        target: "/items/1",
        status: 200,
        error: false,
        ...ends,
        responseBytes: false,
        truncated: false,
        ...trace,
      },
    ]);
    for (const record of ours()) expect(record.durationNs).toBeGreaterThan(0n);
  });
});
