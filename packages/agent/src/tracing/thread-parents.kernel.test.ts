// Inferred parents from threads, on the real kernel: Python's ThreadingHTTPServer
// serves each request on a thread of its own and calls a downstream server with
// urllib, propagating no trace context. The socket tracer's events name the
// thread of every read and write, and each downstream call must come out under
// the request whose thread made it. A Node server doing the same on its one
// event loop (the main thread) must get no inferred parent at all.
import { spawn } from "node:child_process";
import { PARENT_INFERRED_ATTRIBUTE } from "@periscope/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HTTP_SERVER_SCRIPT,
  isRoot,
  type NodeChild,
  nextLine,
  requireRootInCi,
  startNode,
  waitFor,
} from "../capture/fixtures/kernel-processes.js";
import { type KernelCapture, startKernelCapture } from "../protocols/testing/kernel-capture.js";

requireRootInCi("thread-parents.kernel.test.ts");

// argv: downstream port. Each request sleeps first, so the four sent at once are
// all being served, each on its own thread, when the calls go out.
const THREADED_SERVER = `
import sys, time, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
down = sys.argv[1]
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        wanted = self.path.split("=", 1)[1]
        time.sleep(0.1)
        urllib.request.urlopen(f"http://127.0.0.1:{down}/child?for={wanted}").read()
        body = b"done"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
`;

// The same service on Node's event loop: one thread serves every request.
const EVENT_LOOP_SERVER = `
const http = require("node:http");
const down = process.argv[1];
const server = http.createServer((req, res) => {
  const wanted = req.url.split("=")[1];
  setTimeout(() => {
    http.get({ host: "127.0.0.1", port: down, path: "/child?for=" + wanted, agent: false }, (child) => {
      child.resume();
      child.on("end", () => res.end("done"));
    });
  }, 100);
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

const IDS = ["a1", "b2", "c3", "d4"];

async function callAtOnce(port: string, prefix: string): Promise<void> {
  await Promise.all(
    IDS.map(async (id) => {
      const response = await fetch(`http://127.0.0.1:${port}/parent?id=${prefix}${id}`);
      expect(await response.text()).toBe("done");
    }),
  );
}

describe.skipIf(!isRoot)("parents inferred from threads (root only; skipped otherwise outside CI)", () => {
  let capture: KernelCapture;
  let downstream: NodeChild;
  const children: { kill(): void }[] = [];

  beforeAll(async () => {
    capture = startKernelCapture(undefined);
    downstream = await startNode(HTTP_SERVER_SCRIPT);
    children.push(downstream.child);
  });

  afterAll(() => {
    for (const child of children) child.kill();
    capture?.close();
  });

  it("puts each downstream call of a thread-per-request server under the request its thread served", async () => {
    const python = spawn("python3", ["-c", THREADED_SERVER, downstream.firstLine], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(python);
    const port = await nextLine(python);
    await callAtOnce(port, "py-");
    const pid = python.pid ?? -1;
    const ofPython = (side: "client" | "server", path: string) => () =>
      capture.records.find(
        (r) =>
          r.side === side && (side === "server" ? r.server.pid : r.client.pid) === pid && r.target === path,
      );
    const traces = new Set<string>();
    for (const id of IDS) {
      const parent = await waitFor(
        `the server record of ${id}`,
        ofPython("server", `/parent?id=py-${id}`),
        10_000,
      );
      const call = await waitFor(
        `the call made for ${id}`,
        ofPython("client", `/child?for=py-${id}`),
        10_000,
      );
      expect(parent.traceId, id).toMatch(/^[0-9a-f]{32}$/);
      expect(call.traceId, id).toBe(parent.traceId);
      expect(call.parentSpanId, id).toBe(parent.spanId);
      expect(call.attributes[PARENT_INFERRED_ATTRIBUTE], id).toBe("thread");
      traces.add(parent.traceId);
    }
    // Four requests served at once on four threads: four traces, none mixed up.
    expect(traces.size).toBe(IDS.length);
    expect(capture.pipeline.threadParents.counters.inferred).toBeGreaterThanOrEqual(IDS.length);
  });

  it("infers nothing on Node's event loop", async () => {
    const node = await startNode(EVENT_LOOP_SERVER, [downstream.firstLine]);
    children.push(node.child);
    await callAtOnce(node.firstLine, "js-");
    const calls = await waitFor(
      "the event loop's four calls",
      () => {
        const found = capture.records.filter(
          (r) => r.side === "client" && r.client.pid === node.pid && r.target.startsWith("/child?for=js-"),
        );
        return found.length === IDS.length ? found : undefined;
      },
      10_000,
    );
    for (const call of calls) {
      expect(call.attributes[PARENT_INFERRED_ATTRIBUTE], call.target).toBeUndefined();
      expect(call.traceId, call.target).toBe("");
    }
  });
});
